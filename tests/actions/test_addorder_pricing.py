"""AddOrder's prices: per currency, setup fees, quantities, overrides, cycle fallback and promotions, in
Decimal arithmetic, with an invoice whose total is always the sum of its items."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.store.models import Order, Service
from mockwhmcs.store.store import Store
from tests.actions.addorder_support import (
    ADDORDER_SCENARIO,
    add_order,
    assert_invoice_adds_up,
    billed,
)
from tests.actions.conftest import CallAction, store_for

D = Decimal
STARTER = {"pid": {0: "1"}}  # 5.00 a month plus a 1.00 setup fee, or 50.00 a year


@pytest.fixture
def store() -> Store:
    return store_for(ADDORDER_SCENARIO)


def first_service(store: Store, placed: dict[str, Any]) -> Service:
    return store.services.rows[int(placed["serviceids"].split(",")[0])]


def order_of(store: Store, placed: dict[str, Any]) -> Order:
    return store.orders.rows[placed["orderid"]]


def amounts(service: Service) -> tuple[Decimal, Decimal]:
    return service.firstpaymentamount, service.amount


# --- currency, setup fees, quantities ---------------------------------------------------------------


def test_prices_are_in_the_clients_currency(call: CallAction, store: Store) -> None:
    # Client 3 pays in EUR (rate 0.90); .eu is priced in EUR only.
    placed = add_order(call, clientid="3", pid={0: "1"}, addons={0: "1"}, domain={0: "emmy.eu"},
                       domaintype={0: "register"})
    assert amounts(first_service(store, placed)) == (D("5.40"), D("4.50"))
    assert billed(store, placed["invoiceid"]) == [
        ("Hosting", int(placed["serviceids"]), D("5.40")), ("Addon", int(placed["addonids"]), D("1.80")),
        ("DomainRegister", int(placed["domainids"]), D("7.00")),
    ]
    assert assert_invoice_adds_up(store, placed["orderid"]).total == D("14.20")


@pytest.mark.parametrize(
    ("cycle", "first", "recurring"),
    [("monthly", "1.10", "1.00"), ("quarterly", "3.20", "3.00"), ("semiannually", "6.30", "6.00"),
     ("annually", "12.40", "12.00"), ("biennially", "24.50", "24.00"), ("triennially", "36.60", "36.00")],
)
def test_the_cycles_setup_fee_is_added_to_the_first_payment(
    call: CallAction, store: Store, cycle: str, first: str, recurring: str
) -> None:
    placed = add_order(call, pid={0: "9"}, billingcycle={0: cycle})
    assert amounts(first_service(store, placed)) == (D(first), D(recurring))


def test_the_fallback_cycle_brings_its_own_setup_fee(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "8"}, billingcycle={0: "monthly"})
    assert billed(store, placed["invoiceid"]) == [("Hosting", int(placed["serviceids"]), D("15.00"))]


def test_a_scaling_quantity_multiplies_price_and_setup_fee(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "6"}, qty={0: "3"})
    assert amounts(first_service(store, placed)) == (D("7.50"), D("6.00"))


def test_a_multiple_quantity_bills_each_service(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "7"}, qty={0: "3"})
    assert [amount for _, _, amount in billed(store, placed["invoiceid"])] == [D("1.00")] * 3
    assert order_of(store, placed).amount == D("3.00")


def test_addon_quantities_multiply_price_and_setup_fee(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, addons={0: "3"}, addonsqty={0: "3"})
    assert billed(store, placed["invoiceid"])[1] == ("Addon", int(placed["addonids"]), D("6.00"))


def test_amounts_are_exact_decimals(call: CallAction, store: Store) -> None:
    # Three 1.10 first payments: binary floats would not make exactly 3.30.
    placed = add_order(call, pid={0: "9", 1: "9", 2: "9"})
    total = order_of(store, placed).amount
    assert isinstance(total, Decimal) and total == D("3.30")


# --- overrides -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("override", "amount"), [
    ("3.50", "3.50"), ("12abc", "12.00"), ("0", "0.00"), ("abc", "0.00"),
    # PHP's (float) reads exponents; MySQL rounds to the column's two places, half away from zero
    ("1e3", "1000.00"), ("1.5E2", "150.00"), (" 2.005", "2.01"), ("-0.125", "-0.13"),
    # the float has 17 significant digits: the 18th is lost before MySQL rounds
    ("0.124999999999999999", "0.13"),
    # out of the decimal(16,2) column's range: its limit, an infinite float ("1e400") included
    ("1e308", "99999999999999.99"), ("1e400", "99999999999999.99"), ("-1e400", "-99999999999999.99"),
])
def test_priceoverride_replaces_first_payment_and_recurring_amount(
    call: CallAction, store: Store, override: str, amount: str
) -> None:
    placed = add_order(call, pid={0: "1"}, priceoverride={0: override})
    assert amounts(first_service(store, placed)) == (D(amount), D(amount))


def test_an_empty_priceoverride_is_no_override(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, priceoverride={0: ""})
    assert amounts(first_service(store, placed)) == (D("6.00"), D("5.00"))


def test_priceoverride_belongs_to_its_own_pid(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1", 1: "1"}, priceoverride={1: "2.00"})
    first, second = (store.services.rows[int(i)] for i in placed["serviceids"].split(","))
    assert (amounts(first), amounts(second)) == ((D("6.00"), D("5.00")), (D("2.00"), D("2.00")))


def test_a_free_product_stays_free_whatever_the_override(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "4"}, priceoverride={0: "9.00"})
    assert amounts(first_service(store, placed)) == (D("0.00"), D("0.00"))


def test_domain_price_and_renewal_overrides(call: CallAction, store: Store) -> None:
    placed = add_order(call, domain={0: "cheap.com"}, domaintype={0: "register"},
                       domainpriceoverride={0: "1.00"}, domainrenewoverride={0: "8.00"})
    domain = store.domains.rows[int(placed["domainids"])]
    assert (domain.firstpaymentamount, domain.recurringamount) == (D("1.00"), D("8.00"))
    assert billed(store, placed["invoiceid"]) == [("DomainRegister", domain.id, D("1.00"))]


def test_domain_renewal_amount_is_the_tlds_renewal_price(call: CallAction, store: Store) -> None:
    placed = add_order(call, domain={0: "renew.org"}, domaintype={0: "register"})
    domain = store.domains.rows[int(placed["domainids"])]
    assert (domain.firstpaymentamount, domain.recurringamount) == (D("12.00"), D("13.00"))


# --- promotions ------------------------------------------------------------------------------------


def test_percentage_promotion_discounts_the_first_payment_on_its_own_line(
    call: CallAction, store: Store
) -> None:
    placed = add_order(call, promocode="SAVE10", **STARTER)
    service = first_service(store, placed)
    assert amounts(service) == (D("5.40"), D("5.00"))
    assert service.promoid == store.catalog.promotions["save10"].id
    assert billed(store, placed["invoiceid"]) == [("Hosting", service.id, D("6.00")),
                                                  ("PromoHosting", service.id, D("-0.60"))]
    promo_line = store.invoiceitems.where("invoiceid", placed["invoiceid"])[1]
    assert promo_line.description == "Promotional Code: SAVE10 - 10.00% One Time Discount"
    order = order_of(store, placed)
    assert (order.promocode, order.promotype, order.promovalue, order.amount) == (
        "SAVE10", "Percentage", "10.00", D("5.40"))


def test_recurring_promotion_also_discounts_later_periods(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="LOYAL20", **STARTER)
    assert amounts(first_service(store, placed)) == (D("4.80"), D("4.00"))
    promo_line = store.invoiceitems.where("invoiceid", placed["invoiceid"])[1]
    assert promo_line.description == "Promotional Code: LOYAL20 - 20.00% Recurring Discount"


@pytest.mark.parametrize(
    ("code", "cycle", "first", "recurring"),
    [
        ("FIVEOFF", "monthly", "1.00", "5.00"),
        ("FIVEOFF", "annually", "45.00", "50.00"),
        ("FLAT3", "monthly", "4.00", "5.00"),
        ("NOSETUP", "monthly", "5.00", "5.00"),
        ("NOSETUP", "annually", "50.00", "50.00"),
    ],
)
def test_fixed_amount_price_override_and_free_setup_promotions(
    call: CallAction, store: Store, code: str, cycle: str, first: str, recurring: str
) -> None:
    placed = add_order(call, promocode=code, billingcycle={0: cycle}, **STARTER)
    assert amounts(first_service(store, placed)) == (D(first), D(recurring))
    assert_invoice_adds_up(store, placed["orderid"])


def test_fixed_amount_promotion_converts_to_the_clients_currency(call: CallAction, store: Store) -> None:
    # 5.00 USD is 4.50 EUR, off 5.40 EUR.
    placed = add_order(call, clientid="3", promocode="FIVEOFF", **STARTER)
    assert amounts(first_service(store, placed)) == (D("0.90"), D("4.50"))


def test_fixed_amount_never_takes_more_than_the_price(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="FIVEOFF", priceoverride={0: "2.00"}, **STARTER)
    assert amounts(first_service(store, placed)) == (D("0.00"), D("2.00"))
    assert assert_invoice_adds_up(store, placed["orderid"]).total == D("0.00")


def test_a_promotion_for_other_products_gives_no_discount_but_is_recorded(
    call: CallAction, store: Store
) -> None:
    placed = add_order(call, promocode="SAVE10", pid={0: "2"})
    service = first_service(store, placed)
    assert (amounts(service), service.promoid) == ((D("4.00"), D("4.00")), 0)
    assert order_of(store, placed).promocode == "SAVE10"


def test_promooverride_applies_the_promotion_to_any_product(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="SAVE10", promooverride="1", pid={0: "2"})
    assert amounts(first_service(store, placed)) == (D("3.60"), D("4.00"))


@pytest.mark.parametrize("code", ["NOPE", "OLD", "SOON", "USEDUP", ""])
def test_unknown_expired_future_and_used_up_codes_are_ignored(
    call: CallAction, store: Store, code: str
) -> None:
    placed = add_order(call, promocode=code, **STARTER)
    assert amounts(first_service(store, placed)) == (D("6.00"), D("5.00"))
    order = order_of(store, placed)
    assert (order.promocode, order.promotype, order.promovalue) == ("", "", "")


def test_a_promotion_is_valid_on_its_expiry_day_and_codes_ignore_case(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="lastday", **STARTER)
    assert amounts(first_service(store, placed)) == (D("3.00"), D("5.00"))
    assert order_of(store, placed).promocode == "LASTDAY"


def test_a_promotion_expires_after_its_expiry_day(call: CallAction, store: Store) -> None:
    store.clock.set(datetime(2026, 1, 16, 0, 0, 0))
    placed = add_order(call, promocode="LASTDAY", **STARTER)
    assert order_of(store, placed).promocode == ""


def test_a_promotion_with_maxuses_is_used_up_by_orders(call: CallAction, store: Store) -> None:
    first = add_order(call, promocode="ONCE", **STARTER)
    second = add_order(call, promocode="ONCE", **STARTER)
    assert (order_of(store, first).promocode, order_of(store, second).promocode) == ("ONCE", "")


@pytest.mark.parametrize(("cycle", "first"), [("monthly", "6.00"), ("annually", "25.00")])
def test_a_promotion_limited_to_cycles_skips_the_others(
    call: CallAction, store: Store, cycle: str, first: str
) -> None:
    placed = add_order(call, promocode="YEARLY", billingcycle={0: cycle}, **STARTER)
    assert first_service(store, placed).firstpaymentamount == D(first)


def test_a_promotion_for_addons_discounts_them_on_a_promo_addon_line(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="ADDONHALF", addons={0: "3,1"}, **STARTER)
    static_ip, ssl = (int(i) for i in placed["addonids"].split(","))
    assert billed(store, placed["invoiceid"])[1:] == [
        ("Addon", static_ip, D("2.00")), ("PromoAddon", static_ip, D("-1.00")), ("Addon", ssl, D("2.00")),
    ]


def test_a_promotion_for_a_tld_discounts_the_registration(call: CallAction, store: Store) -> None:
    placed = add_order(call, promocode="DOTCOM", domain={0: "promo.com", 1: "nopromo.org"},
                       domaintype={0: "register", 1: "register"})
    promo, nopromo = (store.domains.rows[int(i)] for i in placed["domainids"].split(","))
    dotcom = store.catalog.promotions["dotcom"].id
    assert (promo.firstpaymentamount, promo.recurringamount, promo.promoid) == (D("7.95"), D("9.95"), dotcom)
    assert nopromo.promoid == 0
    assert billed(store, placed["invoiceid"]) == [
        ("DomainRegister", promo.id, D("9.95")), ("PromoDomain", promo.id, D("-2.00")),
        ("DomainRegister", nopromo.id, D("12.00")),
    ]


# --- every pricing case: the invoice adds up ----------------------------------------------------------

PRICING_CASES: dict[str, dict[str, Any]] = {
    "plain": {"pid": {0: "1"}},
    "every-cycle": {"pid": {n: "9" for n in range(6)},
                    "billingcycle": dict(enumerate(["monthly", "quarterly", "semiannually", "annually",
                                                    "biennially", "triennially"]))},
    "fallback": {"pid": {0: "8"}, "billingcycle": {0: "monthly"}},
    "one-time-and-free": {"pid": {0: "5", 1: "4"}, "addons": {0: "4,5"}},
    "scaling": {"pid": {0: "6"}, "qty": {0: "7"}},
    "multiple-with-addons": {"pid": {0: "7"}, "qty": {0: "2"}, "addons": {0: "3,1"}, "addonsqty": {0: "2,3"}},
    "config-options": {"pid": {0: "11"}, "billingcycle": {0: "annually"}},
    "priceoverride": {"pid": {0: "1", 1: "3"}, "priceoverride": {1: "7.77"}},
    "domains": {"domain": {0: "a.com", 1: "b.co.uk", 2: "c.org"}, "regperiod": {1: "2"},
                "domaintype": {0: "register", 1: "register", 2: "transfer"},
                "domainpriceoverride": {0: "0.99"}},
    "renewals": {"domainrenewals": {"expired.com": "1", "grace.com": "1"}, "servicerenewals": {0: "10"},
                 "addonrenewals": {0: "40"}},
    "addon-only": {"addonid": "3", "serviceid": "33", "addonids": {0: "1"}, "serviceids": {0: "10"}},
    "percentage": {"pid": {0: "1", 1: "1"}, "billingcycle": {1: "annually"}, "promocode": "SAVE10"},
    "recurring-percentage": {"pid": {0: "1"}, "promocode": "LOYAL20", "qty": {0: "2"}},
    "fixed-amount": {"pid": {0: "1", 1: "2"}, "promocode": "FIVEOFF", "promooverride": "1"},
    "price-override": {"pid": {0: "1"}, "promocode": "FLAT3"},
    "free-setup": {"pid": {0: "1"}, "addons": {0: "3"}, "promocode": "NOSETUP"},
    "addon-promotion": {"pid": {0: "1"}, "addons": {0: "3"}, "addonsqty": {0: "3"}, "promocode": "ADDONHALF"},
    "tld-promotion": {"domain": {0: "x.com"}, "domaintype": {0: "register"}, "promocode": "DOTCOM"},
    "euro": {"clientid": "3", "pid": {0: "1", 1: "9"}, "addons": {0: "3"}, "promocode": "FIVEOFF"},
}


@pytest.mark.parametrize("params", PRICING_CASES.values(), ids=PRICING_CASES.keys())
def test_invoice_total_is_the_sum_of_its_items_and_the_order_amount(
    call: CallAction, store: Store, params: dict[str, Any]
) -> None:
    placed = add_order(call, **params)
    invoice = assert_invoice_adds_up(store, placed["orderid"])
    assert invoice.status == "Unpaid"
    assert all(isinstance(item.amount, Decimal) for item in store.invoiceitems.where("invoiceid", invoice.id))


def test_a_period_starting_on_the_31st_ends_within_the_next_month(call: CallAction, store: Store) -> None:
    store.clock.set(datetime(2026, 1, 31, 9, 0, 0))
    placed = add_order(call, **STARTER)
    item = store.invoiceitems.where("invoiceid", placed["invoiceid"])[0]
    assert item.description.endswith("(2026-01-31 - 2026-02-27)")
