"""The catalogue a shop reads before ordering: GetTLDPricing, GetCurrencies, GetPromotions, and the
client's currency in GetProducts and AddOrder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction, store_for
from tests.support import TEST_SCENARIOS

DOMAINS_SCENARIO = str(TEST_SCENARIOS / "domains.yaml")
USD = {"id": 1, "code": "USD", "prefix": "$", "suffix": " USD", "format": 1, "rate": "1.00000"}
EUR = {"id": 2, "code": "EUR", "prefix": "€", "suffix": " EUR", "format": 3, "rate": "0.92000"}


@pytest.fixture
def shop() -> Callable[..., dict[str, Any]]:
    """Calls against the domains scenario: two currencies, a client billed in the second."""
    store = store_for(DOMAINS_SCENARIO)

    def invoke(action: str, **params: Any) -> dict[str, Any]:
        entry = find_action(action)
        assert entry is not None
        return run(entry, Call(params, store))

    invoke.store = store  # type: ignore[attr-defined]
    return invoke


# --- GetTLDPricing -------------------------------------------------------------------------------


def test_tld_pricing_lists_every_tld_without_its_dot_in_the_default_currency(call: CallAction) -> None:
    answer = call("GetTLDPricing")

    assert list(answer) == ["result", "currency", "pricing"]
    assert answer["currency"] == USD
    assert list(answer["pricing"]) == ["com", "net"]
    assert answer["pricing"]["com"] == {
        "tld": "com",
        "categories": ["Popular"],
        "addons": {"dns": False, "email": False, "idprotect": False},
        "group": "",
        "register": {1: "9.95", 2: "19.90"},
        "transfer": {1: "8.95"},
        "renew": {1: "9.95"},
        "grace_period": None,
        "redemption_period": None,
    }


def test_tld_pricing_shows_the_scenario_s_group_and_addons(call: CallAction) -> None:
    net = call("GetTLDPricing")["pricing"]["net"]
    assert (net["group"], net["addons"]) == ("sale", {"dns": True, "email": False, "idprotect": True})


def test_tld_pricing_in_another_currency_converts_at_its_rate(shop: Callable[..., Any]) -> None:
    answer = shop("GetTLDPricing", currencyid="2")

    assert answer["currency"] == EUR
    assert answer["pricing"]["com"]["register"] == {1: "9.15", 2: "18.31"}
    # A TLD priced in the currency itself keeps its own prices.
    assert answer["pricing"]["eu"]["register"] == {1: "7.00"}


def test_a_client_s_currency_wins_over_currencyid(shop: Callable[..., Any]) -> None:
    assert shop("GetTLDPricing", clientid="3")["currency"] == EUR
    assert shop("GetTLDPricing", clientid="1", currencyid="2")["currency"] == USD


@pytest.mark.parametrize("params", [{"currencyid": "9"}, {"clientid": "99"}, {"currencyid": "abc"}])
def test_an_unknown_currency_or_client_prices_in_the_default_currency(
    shop: Callable[..., Any], params: dict[str, str]
) -> None:
    assert shop("GetTLDPricing", **params)["currency"] == USD


def test_a_year_table_with_no_price_is_php_s_empty_array(shop: Callable[..., Any]) -> None:
    eu = shop("GetTLDPricing")["pricing"]["eu"]
    # .eu renews in EUR only: nothing converts back to the default currency.
    assert (eu["renew"], eu["transfer"]) == ([], {1: "5.00"})
    assert (eu["grace_period"], eu["redemption_period"]) == (30, 40)


# --- GetCurrencies -------------------------------------------------------------------------------


def test_currencies_list_the_default_currency(call: CallAction) -> None:
    assert call("GetCurrencies") == {
        "result": "success", "totalresults": 1, "currencies": {"currency": [USD]},
    }


def test_currencies_list_the_scenario_s_further_currencies_with_rate_and_format(
    shop: Callable[..., Any],
) -> None:
    assert shop("GetCurrencies") == {
        "result": "success", "totalresults": 2, "currencies": {"currency": [USD, EUR]},
    }


# --- GetPromotions -------------------------------------------------------------------------------


def test_promotions_show_every_field_of_the_reference_example(call: CallAction) -> None:
    answer = call("GetPromotions")

    assert answer["totalresults"] == 1
    promotion = answer["promotions"]["promotion"][0]
    assert list(promotion) == [
        "id", "code", "type", "recurring", "value", "cycles", "appliesto", "requires", "requiresexisting",
        "startdate", "expirationdate", "maxuses", "uses", "lifetimepromo", "applyonce", "newsignups",
        "existingclient", "onceperclient", "recurfor", "upgrades", "upgradeconfig", "notes",
    ]
    assert (promotion["code"], promotion["value"], promotion["appliesto"]) == ("SAVE10", 10, "1")
    assert promotion["expirationdate"] == "2027-01-01"


def test_a_promotion_on_addons_tlds_and_cycles_lists_them_as_whmcs_stores_them(
    shop: Callable[..., Any],
) -> None:
    promotion = shop("GetPromotions", code="HALFDOM")["promotions"]["promotion"][0]

    assert promotion["appliesto"] == "1,3,A1,D.com"
    assert promotion["cycles"] == "Monthly,Annually"
    assert (promotion["type"], promotion["value"], promotion["recurring"]) == ("Fixed Amount", "2.50", 1)
    assert (promotion["startdate"], promotion["maxuses"], promotion["uses"]) == ("2026-01-01", 9, 2)


def test_a_promotion_shows_the_conditions_and_notes_its_scenario_gives() -> None:
    store = store_for(str(TEST_SCENARIOS / "import_rich.yaml"))
    entry = find_action("GetPromotions")
    assert entry is not None
    save10, fiveoff, freesetup, _ = run(entry, Call({}, store))["promotions"]["promotion"]

    conditions = ("recurfor", "lifetimepromo", "applyonce", "newsignups", "existingclient", "onceperclient",
                  "notes")
    assert [save10[key] for key in conditions] == [3, 0, 1, 1, 0, 0, "Spring campaign"]
    assert [fiveoff[key] for key in conditions] == [0, 0, 0, 0, 1, 1, ""]
    assert [freesetup[key] for key in conditions] == [0, 1, 0, 0, 0, 0, ""]


def test_the_code_filter_is_case_insensitive(shop: Callable[..., Any]) -> None:
    answer = shop("GetPromotions", code="save10")
    assert [p["code"] for p in answer["promotions"]["promotion"]] == ["SAVE10"]
    assert shop("GetPromotions")["totalresults"] == 2


def test_an_unknown_code_finds_nothing(call: CallAction) -> None:
    assert call("GetPromotions", code="NOPE") == {"result": "success", "totalresults": 0}


def test_orders_with_the_code_count_as_uses(call: CallAction) -> None:
    call("AddOrder", clientid="1", paymentmethod="mailin", pid={0: "1"}, promocode="save10")
    assert call("GetPromotions")["promotions"]["promotion"][0]["uses"] == 1


# --- a client's currency -------------------------------------------------------------------------


def test_get_products_prices_every_currency(shop: Callable[..., Any]) -> None:
    pricing = shop("GetProducts", pid="1")["products"]["product"][0]["pricing"]
    assert list(pricing) == ["USD", "EUR"]
    assert (pricing["EUR"]["prefix"], pricing["EUR"]["monthly"]) == ("€", "4.60")


def test_get_products_shows_a_custom_field_s_description_and_whether_it_is_required() -> None:
    store = store_for(str(TEST_SCENARIOS / "import_rich.yaml"))
    entry = find_action("GetProducts")
    assert entry is not None
    product = run(entry, Call({"pid": "1"}, store))["products"]["product"][0]

    assert product["customfields"]["customfield"] == [
        {"id": 3, "name": "Site name", "description": "Shown in the control panel", "required": "on"},
        {"id": 4, "name": "Referral", "description": "", "required": ""},
    ]


def test_get_products_shows_config_options_as_the_reference_example_does() -> None:
    store = store_for(str(TEST_SCENARIOS / "addorder.yaml"))
    entry = find_action("GetProducts")
    assert entry is not None
    product = run(entry, Call({"pid": "11"}, store))["products"]["product"][0]
    options = product["configoptions"]["configoption"]

    assert [(o["id"], o["name"], o["type"], o["minqty"], o["maxqty"]) for o in options] == [
        (1, "Operating System", "1", 0, 0), (2, "Backups", "3", 0, 0), (3, "Extra RAM (GB)", "4", 0, 0)]
    windows = options[0]["options"]["option"][1]
    assert list(windows) == ["id", "name", "rawName", "recurring", "required", "pricing"]
    assert [windows[key] for key in ("id", "name", "rawName", "recurring", "required")] == [
        2, "Windows", None, 0, None]
    # Every key in the reference's order; a price the scenario leaves out is 0.00, not -1.00.
    assert windows["pricing"]["USD"] == {
        "msetupfee": "5.00", "qsetupfee": "0.00", "ssetupfee": "0.00", "asetupfee": "0.00",
        "bsetupfee": "0.00", "tsetupfee": "0.00", "monthly": "15.00", "quarterly": "0.00",
        "semiannually": "0.00", "annually": "150.00", "biennially": "0.00", "triennially": "0.00"}
    assert list(windows["pricing"]) == ["USD", "EUR"]


def test_add_order_prices_a_client_with_a_currency_id_in_that_currency(shop: Callable[..., Any]) -> None:
    store: Store = shop.store  # type: ignore[attr-defined]
    placed = shop("AddOrder", clientid="3", paymentmethod="mailin", pid={0: "1"}, billingcycle={0: "monthly"},
                  domaintype={0: "register"}, domain={0: "euro-shop.com"}, regperiod={0: "1"})

    service = store.services.get(int(placed["serviceids"]))
    domain = store.domains.get(int(placed["domainids"]))
    assert service is not None and domain is not None
    assert str(service.amount) == "4.60"
    assert (str(domain.firstpaymentamount), str(domain.recurringamount)) == ("9.15", "9.15")
    invoice = store.invoices.get(placed["invoiceid"])
    assert invoice is not None and str(invoice.total) == "14.67"  # 4.60 + setup 0.92 + 9.15
    order = shop("GetOrders", id=str(placed["orderid"]))["orders"]["order"][0]
    assert (order["currencyprefix"], order["currencysuffix"]) == ("€", " EUR")


def test_get_clients_details_shows_a_currency_given_by_id(shop: Callable[..., Any]) -> None:
    client = shop("GetClientsDetails", clientid="3")["client"]
    assert (client["currency"], client["currency_code"]) == (2, "EUR")
