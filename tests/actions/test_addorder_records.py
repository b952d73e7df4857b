"""What a successful AddOrder leaves in the store: the order, services, addons, domains, renewals,
invoice and notifications, and the effect of every parameter on them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import phpserialize
import pytest

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.store.models import Domain, Order, Service, ServiceAddon
from mockwhmcs.store.scenario import parse_scenario
from mockwhmcs.store.store import Store
from tests.actions.addorder_support import (
    ADDORDER_SCENARIO,
    NOW,
    TODAY,
    add_order,
    assert_invoice_adds_up,
    billed,
    serialized,
)
from tests.actions.conftest import CallAction, store_for

D = Decimal


@pytest.fixture
def store() -> Store:
    return store_for(ADDORDER_SCENARIO)


def the_order(store: Store, placed: dict[str, Any]) -> Order:
    order = store.orders.get(placed["orderid"])
    assert order is not None
    return order


def services(store: Store, placed: dict[str, Any]) -> list[Service]:
    return [store.services.rows[int(i)] for i in placed["serviceids"].split(",") if i]


def addons(store: Store, placed: dict[str, Any]) -> list[ServiceAddon]:
    return [store.service_addons.rows[int(i)] for i in placed["addonids"].split(",") if i]


def domains(store: Store, placed: dict[str, Any]) -> list[Domain]:
    return [store.domains.rows[int(i)] for i in placed["domainids"].split(",") if i]


def the_service(store: Store, call: CallAction, **params: Any) -> Service:
    (service,) = services(store, add_order(call, **params))
    return service


# --- the order -----------------------------------------------------------------------------------------


def test_order_is_pending_dated_by_the_clock_and_carries_the_request(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, contactid="1", affid="7", nameserver1="ns1.demo.com",
                       nameserver2="ns2.demo.com", nameserver3="", nameserver5="ns5.demo.com",
                       clientip="203.0.113.9", paymentmethod="paypal")
    order = the_order(store, placed)
    assert (order.status, order.userid, order.date) == ("Pending", 1, NOW)
    assert (order.contactid, order.affid, order.paymentmethod) == (1, 7, "paypal")
    assert order.nameservers == "ns1.demo.com,ns2.demo.com,ns5.demo.com"
    assert order.ipaddress == "203.0.113.9"
    assert order.invoiceid == placed["invoiceid"]


def test_order_date_follows_the_mock_clock(call: CallAction, store: Store) -> None:
    store.clock.set(datetime(2026, 3, 1, 8, 30, 5))
    placed = add_order(call, pid={0: "1"})
    assert the_order(store, placed).date == "2026-03-01 08:30:05"
    assert services(store, placed)[0].regdate == "2026-03-01"


def test_ipaddress_is_the_callers_without_clientip(call: CallAction, store: Store) -> None:
    assert the_order(store, add_order(call, pid={0: "1"}, clientip="")).ipaddress == "127.0.0.1"


def test_ipv6_clientip_is_kept(call: CallAction, store: Store) -> None:
    assert the_order(store, add_order(call, pid={0: "1"}, clientip="2001:db8::1")).ipaddress == "2001:db8::1"


def test_ordernum_is_ten_random_digits_unique_and_repeatable(call: CallAction, store: Store) -> None:
    first = the_order(store, add_order(call, pid={0: "1"})).ordernum
    second = the_order(store, add_order(call, pid={0: "1"})).ordernum
    assert len(first) == 10 and first.isdigit() and first[0] != "0"
    assert first != second
    store.reset()
    assert the_order(store, add_order(call, pid={0: "1"})).ordernum == first


def test_ordernum_skips_one_already_taken(call: CallAction, store: Store) -> None:
    taken = the_order(store, add_order(call, pid={0: "1"})).ordernum
    store.random.seed(store.catalog.settings.seed)  # the next draw repeats the taken number
    assert the_order(store, add_order(call, pid={0: "1"})).ordernum != taken


# --- services: one per unit, following allowqty --------------------------------------------------------


@pytest.mark.parametrize(
    ("pid", "qty", "count", "service_qty"),
    [("1", "3", 1, 1), ("7", "3", 3, 1), ("6", "3", 1, 3), ("7", "0", 1, 1), ("7", "", 1, 1)],
    ids=["allowqty-0-ignores-qty", "multiple-makes-n-services", "scaling-makes-one-service-of-n",
         "zero-is-one", "empty-is-one"],
)
def test_services_per_product_follow_allowqty(
    call: CallAction, store: Store, pid: str, qty: str, count: int, service_qty: int
) -> None:
    made = services(store, add_order(call, pid={0: pid}, qty={0: qty}))
    assert len(made) == count
    assert {service.qty for service in made} == {service_qty}


def test_service_fields_for_a_monthly_hosting_account(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, domain={0: "Site.Example.com "}, billingcycle={0: "monthly"})
    (service,) = services(store, placed)
    assert (service.status, service.userid, service.orderid, service.packageid) == (
        "Pending", 1, placed["orderid"], 1)
    assert (service.regdate, service.nextduedate, service.nextinvoicedate) == (TODAY, TODAY, TODAY)
    assert (service.billingcycle, service.firstpaymentamount, service.amount) == (
        "Monthly", D("6.00"), D("5.00"))
    assert (service.domain, service.paymentmethod) == ("site.example.com", "mailin")
    # A hosting account gets a username from its domain and a generated password.
    assert service.username == "siteexam"
    assert len(service.password) == 12 and service.password.isalnum()


@pytest.mark.parametrize(
    ("requested", "stored"),
    [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("semiannually", "Semi-Annually"),
     ("Semi-Annually", "Semi-Annually"), ("annually", "Annually"), ("Biennially", "Biennially"),
     ("triennially", "Triennially")],
)
def test_billingcycle_is_stored_in_display_form(
    call: CallAction, store: Store, requested: str, stored: str
) -> None:
    assert the_service(store, call, pid={0: "9"}, billingcycle={0: requested}).billingcycle == stored


@pytest.mark.parametrize("requested", ["monthly", "triennially", "weekly", "", "onetime", "free"])
def test_a_cycle_without_a_price_falls_back_silently_to_the_first_priced_one(
    call: CallAction, store: Store, requested: str
) -> None:
    service = the_service(store, call, pid={0: "8"}, billingcycle={0: requested})
    assert (service.billingcycle, service.firstpaymentamount, service.amount) == (
        "Quarterly", D("15.00"), D("12.00"))


def test_a_product_without_any_price_is_ordered_monthly_at_zero(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid={0: "10"}, billingcycle={0: "annually"})
    assert (service.billingcycle, service.firstpaymentamount, service.amount) == ("Monthly", D("0.00"),
                                                                                   D("0.00"))


def test_a_free_product_is_a_free_account_never_due_and_not_invoiced(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "4"}, billingcycle={0: "annually"}, domain={0: "free.com"})
    (service,) = services(store, placed)
    assert (service.billingcycle, service.firstpaymentamount, service.amount) == ("Free Account", D("0.00"),
                                                                                   D("0.00"))
    assert (service.nextduedate, service.nextinvoicedate) == ("0000-00-00", "0000-00-00")
    # Nothing to bill: no invoice, which 8.12 answers as invoiceid 0 (left out only for noinvoice).
    assert placed["invoiceid"] == 0
    assert the_order(store, placed).amount == D("0.00")


def test_admin_requestor_id_is_the_calling_admins_id() -> None:
    # The admin an API credential belongs to (or who logged in) placed the order: tbladmins.id, not 0.
    shop = Store(parse_scenario(
        "extends: default\nadmins: [{id: 9, username: clerk, password: p}]\n"
        "api_credentials: [{identifier: clerk-id, secret: s, admin: clerk}]\n"
    ))
    entry = find_action("AddOrder")
    assert entry is not None
    for admin, expected in (("clerk", 9), ("admin", 1)):
        params = {"clientid": "1", "paymentmethod": "mailin", "pid": {0: "1"}}
        placed = run(entry, Call(params, shop, admin=admin))
        assert the_order(shop, placed).admin_requestor_id == expected


def test_a_one_time_product_is_billed_once(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "5"}, billingcycle={0: "monthly"})
    (service,) = services(store, placed)
    assert (service.billingcycle, service.firstpaymentamount, service.amount, service.nextduedate) == (
        "One Time", D("99.00"), D("99.00"), TODAY)
    assert billed(store, placed["invoiceid"]) == [("Hosting", service.id, D("99.00"))]


def test_server_fields_come_from_hostname_ns_prefixes_and_rootpw(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid={0: "3"}, hostname={0: "vps.example.org"}, ns1prefix={0: "ns1"},
                          ns2prefix={0: "ns2"}, rootpw={0: "S3cret!pass"})
    assert (service.domain, service.ns1, service.ns2, service.password) == (
        "vps.example.org", "ns1", "ns2", "S3cret!pass")
    # Only hosting and reseller accounts get a username when ordered.
    assert service.username == ""


def test_a_domain_wins_over_the_hostname(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid={0: "3"}, domain={0: "named.com"}, hostname={0: "vps.named.com"})
    assert service.domain == "named.com"


def test_username_without_a_domain_is_random_letters(call: CallAction, store: Store) -> None:
    username = the_service(store, call, pid={0: "1"}).username
    assert len(username) == 8 and username.isalpha() and username.islower()


def test_custom_fields_are_decoded_and_kept_for_the_products_own_fields(
    call: CallAction, store: Store
) -> None:
    fields = serialized({1: "Google", 77: "stray"})
    service = the_service(store, call, pid={0: "1"}, customfields={0: fields})
    assert service.customfields == {1: "Google"}


def test_config_options_are_decoded_priced_and_defaulted(call: CallAction, store: Store) -> None:
    # Windows (+15.00, setup 5.00), backups on (+2.50), 4 GB of RAM at 1.25; option 9 does not exist.
    options = serialized({1: 2, 2: "on", 3: "4", 9: "x"})
    service = the_service(store, call, pid={0: "11"}, configoptions={0: options})
    assert service.configoptions == {1: "2", 2: "1", 3: "4"}
    assert (service.amount, service.firstpaymentamount) == (D("32.50"), D("37.50"))


def test_config_options_left_out_take_their_defaults(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid={0: "11"})
    assert service.configoptions == {1: "1", 2: "0", 3: "0"}
    assert service.amount == D("10.00")


def test_an_unknown_dropdown_choice_takes_the_first(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid={0: "11"}, configoptions={0: serialized({1: 999})})
    assert service.configoptions[1] == "1"


# --- addons ordered with products ----------------------------------------------------------------------


def test_addons_go_on_each_service_of_their_product_with_their_quantities(
    call: CallAction, store: Store
) -> None:
    placed = add_order(call, pid={0: "1"}, billingcycle={0: "annually"}, addons={0: "3,1,999"},
                       addonsqty={0: "2"})
    (service,) = services(store, placed)
    static_ip, ssl = addons(store, placed)
    assert (static_ip.hostingid, static_ip.addonid, static_ip.qty, static_ip.name) == (service.id, 3, 2,
                                                                                       "Static IP")
    # The addon follows its service's cycle; the SSL addon has no annual price and falls back.
    assert (static_ip.billingcycle, static_ip.setupfee, static_ip.recurring) == ("Annually", D("0.00"),
                                                                                 D("30.00"))
    assert (ssl.qty, ssl.billingcycle, ssl.recurring) == (1, "Monthly", D("2.00"))
    assert (static_ip.status, static_ip.orderid, static_ip.regdate, static_ip.nextduedate) == (
        "Pending", placed["orderid"], TODAY, TODAY)


def test_every_service_of_a_multiple_product_gets_the_addons(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "7"}, qty={0: "2"}, addons={0: "5"})
    hostingids = [addon.hostingid for addon in addons(store, placed)]
    assert hostingids == [service.id for service in services(store, placed)]
    assert len(hostingids) == 2


def test_one_time_and_free_addons(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, addons={0: "4,5"})
    migration, monitor = addons(store, placed)
    assert (migration.billingcycle, migration.recurring, migration.nextduedate) == (
        "One Time", D("25.00"), TODAY)
    assert (monitor.billingcycle, monitor.recurring, monitor.nextduedate) == ("Free Account", D("0.00"),
                                                                              "0000-00-00")
    assert [kind for kind, _, _ in billed(store, placed["invoiceid"])] == ["Hosting", "Addon"]


def test_an_addon_with_its_own_cycle_keeps_it(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, billingcycle={0: "monthly"}, addons={0: "6"})
    (report,) = addons(store, placed)
    assert (report.billingcycle, report.recurring) == ("Annually", D("10.00"))


def test_the_documentations_dollar_addonsqty_is_ignored(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, addons={0: "1"}, **{"$addonsqty": {0: "5"}})
    assert [addon.qty for addon in addons(store, placed)] == [1]


# --- addon-only orders ---------------------------------------------------------------------------------


def test_addonid_adds_an_addon_to_an_existing_service(call: CallAction, store: Store) -> None:
    placed = add_order(call, addonid="3", serviceid="33", addonidqty="2")
    assert (placed["serviceids"], placed["productids"], placed["domainids"]) == ("", "", "")
    (addon,) = addons(store, placed)
    # Service 33 is billed annually; the addon follows it.
    assert (addon.hostingid, addon.addonid, addon.qty, addon.billingcycle) == (33, 3, 2, "Annually")
    assert (addon.setupfee, addon.recurring) == (D("0.00"), D("30.00"))
    assert billed(store, placed["invoiceid"]) == [("Addon", addon.id, D("30.00"))]


def test_addonids_add_addons_to_existing_services_by_index(call: CallAction, store: Store) -> None:
    placed = add_order(call, addonids={0: "1", 1: "3"}, serviceids={0: "10", 1: "10"},
                       addonidsqty={1: "3"})
    made = addons(store, placed)
    assert [(a.hostingid, a.addonid, a.qty) for a in made] == [(10, 1, 1), (10, 3, 3)]
    assert made[1].recurring == D("4.50") and made[1].setupfee == D("1.50")


def test_addon_only_and_product_orders_combine(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, addonid="1", serviceid="10", addonids={0: "3"},
                       serviceids={0: "33"})
    assert len(services(store, placed)) == 1
    assert [(a.hostingid, a.addonid) for a in addons(store, placed)] == [(10, 1), (33, 3)]


# --- domains -------------------------------------------------------------------------------------------


def test_registered_domain_fields(call: CallAction, store: Store) -> None:
    fields = serialized({"Nexus Category": "C11", 2: True})
    placed = add_order(call, pid={0: "1"}, domain={0: "Golden.CO.uk"}, domaintype={0: "register"},
                       regperiod={0: "2"}, idnlanguage={0: "fre"}, dnsmanagement={0: "1"},
                       emailforwarding={0: "on"}, idprotection={0: "0"}, domainfields={0: fields})
    (domain,) = domains(store, placed)
    assert (domain.domain, domain.type, domain.status, domain.registrationperiod) == (
        "golden.co.uk", "Register", "Pending", 2)
    assert (domain.registrationdate, domain.nextduedate, domain.expirydate) == (TODAY, TODAY, "0000-00-00")
    # .co.uk has no two-year renewal price, so the two-year registration price recurs.
    assert (domain.firstpaymentamount, domain.recurringamount) == (D("12.00"), D("12.00"))
    assert (domain.registrar, domain.idnlanguage, domain.paymentmethod) == ("nominet", "fre", "mailin")
    assert (domain.dnsmanagement, domain.emailforwarding, domain.idprotection) == (True, True, False)
    assert domain.domainfields == {"Nexus Category": "C11", 2: "1"}
    assert services(store, placed)[0].domain == "golden.co.uk"


def test_transfer_keeps_the_epp_code_on_the_order(call: CallAction, store: Store) -> None:
    placed = add_order(call, domain={0: "moving.org", 1: "fresh.org"},
                       domaintype={0: "transfer", 1: "register"}, eppcode={0: "EPP-123", 1: "ignored"})
    moving, fresh = domains(store, placed)
    assert (moving.type, moving.firstpaymentamount, moving.recurringamount) == (
        "Transfer", D("11.00"), D("13.00"))
    assert fresh.type == "Register"
    transfersecret = the_order(store, placed).transfersecret
    assert phpserialize.loads(transfersecret.encode(), decode_strings=True) == {"moving.org": "EPP-123"}


RAW = "Tom & <Jerry> 'n' \"co\""
CLEAN = "Tom &amp; &lt;Jerry&gt; &#039;n&#039; &quot;co&quot;"


def test_request_text_is_stored_entity_encoded_but_passwords_are_not(call: CallAction, store: Store) -> None:
    # WHMCS's input cleaning HTML-encodes & < > " ' in what it stores; passwords are kept as sent.
    placed = add_order(call, pid={0: "3", 1: "1"}, hostname={0: RAW}, ns1prefix={0: RAW},
                       ns2prefix={0: RAW}, rootpw={0: RAW}, customfields={1: serialized({1: RAW})},
                       domain={1: "X&Y.com", 2: "t.org"}, domaintype={2: "transfer"}, idnlanguage={2: RAW},
                       eppcode={2: RAW}, domainfields={2: serialized({"Nexus": RAW})}, nameserver1=RAW)
    vps, hosting = services(store, placed)
    assert (vps.domain, vps.ns1, vps.ns2, vps.password) == (CLEAN, CLEAN, CLEAN, RAW)
    assert (hosting.domain, hosting.customfields) == ("x&amp;y.com", {1: CLEAN})
    (domain,) = domains(store, placed)
    assert (domain.idnlanguage, domain.domainfields) == (CLEAN, {"Nexus": CLEAN})
    order = the_order(store, placed)
    assert order.nameservers == CLEAN
    assert phpserialize.loads(order.transfersecret.encode(), decode_strings=True) == {"t.org": RAW}


def test_domain_only_order_without_regperiod_registers_one_year(call: CallAction, store: Store) -> None:
    placed = add_order(call, domain={0: "solo.com"}, domaintype={0: "register"})
    assert placed["serviceids"] == ""
    (domain,) = domains(store, placed)
    assert (domain.registrationperiod, domain.firstpaymentamount) == (1, D("9.95"))


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("on", True), ("false", True),
                                                 ("0", False), ("", False)])
def test_domain_flags_follow_php_truthiness(
    call: CallAction, store: Store, value: str, expected: bool
) -> None:
    placed = add_order(call, domain={0: "flags.com"}, domaintype={0: "register"}, dnsmanagement={0: value},
                       emailforwarding={0: value}, idprotection={0: value})
    (domain,) = domains(store, placed)
    assert (domain.dnsmanagement, domain.emailforwarding, domain.idprotection) == (expected,) * 3


def test_domaintype_is_read_case_insensitively(call: CallAction, store: Store) -> None:
    placed = add_order(call, domain={0: "caps.com"}, domaintype={0: "Register"})
    assert domains(store, placed)[0].type == "Register"


# --- renewals ------------------------------------------------------------------------------------------


def test_renewals_are_recorded_on_the_order_and_billed(call: CallAction, store: Store) -> None:
    placed = add_order(call, domainrenewals={"expired.com": "1"}, servicerenewals={0: "33", 1: "10"},
                       addonrenewals={0: "40"})
    order = the_order(store, placed)
    assert (order.renewals, order.servicerenewals, order.addonrenewals) == ("32=1", "33,10", "40")
    assert billed(store, placed["invoiceid"]) == [
        ("Domain", 32, D("9.95")), ("Hosting", 33, D("50.00")), ("Hosting", 10, D("5.00")),
        ("Addon", 40, D("15.00")),
    ]
    items = store.invoiceitems.where("invoiceid", placed["invoiceid"])
    # Each renewal covers the period from its next due date (today when it has none).
    assert items[0].description == "Domain Renewal - expired.com - 1 Year/s (2026-01-10 - 2027-01-09)"
    assert items[1].description == (
        "Shared Hosting - Starter - suspended.example.com (2026-03-01 - 2027-02-28)")
    assert items[3].description == "Static IP (2026-03-01 - 2027-02-28)"
    # Renewing changes no record until it is paid.
    assert store.domains.rows[32].status == "Expired"


# --- invoice and notifications -------------------------------------------------------------------------


def test_invoice_is_unpaid_with_one_item_per_billable_line(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1", 1: "4"}, domain={0: "inv.com"}, addons={0: "1"},
                       domaintype={0: "register"})
    invoice = assert_invoice_adds_up(store, placed["orderid"])
    service, _free = services(store, placed)
    assert (invoice.status, invoice.userid, invoice.date, invoice.duedate, invoice.paymentmethod) == (
        "Unpaid", 1, TODAY, TODAY, "mailin")
    assert billed(store, invoice.id) == [
        ("Hosting", service.id, D("6.00")), ("Addon", int(placed["addonids"]), D("2.00")),
        ("DomainRegister", int(placed["domainids"]), D("9.95")),
    ]
    descriptions = [item.description for item in store.invoiceitems.where("invoiceid", invoice.id)]
    assert descriptions == [
        "Shared Hosting - Starter - inv.com (2026-01-15 - 2026-02-14)",
        "SSL Certificate (2026-01-15 - 2026-02-14)",
        "Domain Registration - inv.com - 1 Year/s (2026-01-15 - 2027-01-14)",
    ]
    assert invoice.total == D("17.95")


def test_noinvoice_creates_no_invoice_but_keeps_the_amount(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"}, noinvoice="1")
    order = the_order(store, placed)
    assert (order.invoiceid, order.amount, len(store.invoices)) == (0, D("6.00"), 0)
    assert [e.template for e in store.emails] == ["Order Confirmation"]


def test_emails_are_sent_unless_suppressed(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={0: "1"})
    assert [(e.template, e.relid, e.sent, e.reason, e.date) for e in store.emails] == [
        ("Order Confirmation", placed["orderid"], True, "", NOW),
        ("Invoice Created", placed["invoiceid"], True, "", NOW),
    ]


def test_noemail_and_noinvoiceemail_are_recorded_as_suppressed(call: CallAction, store: Store) -> None:
    add_order(call, pid={0: "1"}, noemail="true", noinvoiceemail="on")
    assert [(e.template, e.sent, e.reason) for e in store.emails] == [
        ("Order Confirmation", False, "noemail"), ("Invoice Created", False, "noinvoiceemail"),
    ]


# --- what real clients send ----------------------------------------------------------------------------


def test_scalar_pid_with_scalar_domain_and_billingcycle(call: CallAction, store: Store) -> None:
    service = the_service(store, call, pid="1", domain="scalar.com", billingcycle="annually")
    assert (service.packageid, service.domain, service.billingcycle) == (1, "scalar.com", "Annually")


def test_explicit_indices_pair_every_array_with_its_pid(call: CallAction, store: Store) -> None:
    placed = add_order(call, pid={5: "1", 9: "9"}, billingcycle={9: "quarterly", 5: "annually"},
                       domain={9: "nine.com", 5: "five.com"}, qty={5: "4"})
    five, nine = services(store, placed)
    assert (five.domain, five.billingcycle, nine.domain, nine.billingcycle) == (
        "five.com", "Annually", "nine.com", "Quarterly")


def test_pid_given_with_empty_brackets(call: CallAction, store: Store) -> None:
    # pid[]=1&pid[]=3 decodes to indices 0 and 1.
    placed = add_order(call, pid={0: "1", 1: "3"}, billingcycle={0: "monthly", 1: "quarterly"})
    assert [s.billingcycle for s in services(store, placed)] == ["Monthly", "Quarterly"]


def test_unknown_pids_are_skipped(call: CallAction, store: Store) -> None:
    assert [s.packageid for s in services(store, add_order(call, pid={0: "999", 1: "1"}))] == [1]
