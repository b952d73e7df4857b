"""AddOrder's checks (FIDELITY §4), in WHMCS's order and with its exact messages, and its answer.

Every error here comes from the addorder scenario's state alone; the precedence tests send two
faults at once and expect the one WHMCS checks first.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockwhmcs.actions.addorder import ARRAYS, DOMAIN_ARRAYS, FLAGS, PARAMS
from mockwhmcs.actions.registry import find_action
from mockwhmcs.store.store import Store
from tests.actions.addorder_support import ADDORDER_SCENARIO, add_order, refusal
from tests.actions.conftest import CallAction, store_for

PAYMENT_ERROR = "Invalid Payment Method. Valid options include alipay,banktransfer,mailin,paypal"
NO_ITEMS = "No items added to cart so order cannot proceed"
STARTER = {"pid": {0: "1"}}


@pytest.fixture
def store() -> Store:
    return store_for(ADDORDER_SCENARIO)


# --- 1-2. the client --------------------------------------------------------------------------------


@pytest.mark.parametrize("clientid", [None, "", "99", "abc", {0: "1"}])
def test_missing_or_unknown_client_is_not_found(call: CallAction, clientid: Any) -> None:
    assert refusal(call, clientid=clientid, **STARTER) == "Client ID Not Found"


def test_closed_client_cannot_order(call: CallAction) -> None:
    assert refusal(call, clientid="2", **STARTER) == "Unable to add order when client status is Closed"


def test_closed_client_is_reported_before_a_bad_payment_method(call: CallAction) -> None:
    assert refusal(call, clientid="2", paymentmethod="bitcoin") == (
        "Unable to add order when client status is Closed"
    )


def test_unknown_client_is_reported_before_everything_else(call: CallAction) -> None:
    message = refusal(call, clientid="99", paymentmethod="", clientip="nope", domaintype={0: "register"},
                      domain="x.com")
    assert message == "Client ID Not Found"


# --- 3. the payment method ----------------------------------------------------------------------------


@pytest.mark.parametrize("paymentmethod", ["", "bitcoin", "MailIn", "Mail In Payment", " mailin"])
def test_payment_method_must_be_an_active_gateway_module_named_exactly(
    call: CallAction, paymentmethod: str
) -> None:
    assert refusal(call, paymentmethod=paymentmethod, **STARTER) == PAYMENT_ERROR


def test_missing_payment_method_lists_the_active_gateways_sorted(call: CallAction) -> None:
    # The scenario lists alipay last; the message sorts the modules and joins them without spaces.
    assert refusal(call, paymentmethod=None, **STARTER) == PAYMENT_ERROR


def test_payment_method_as_an_array_is_refused(call: CallAction) -> None:
    assert refusal(call, paymentmethod={0: "mailin"}, **STARTER) == PAYMENT_ERROR


# --- 4. clientip ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("clientip", ["999.1.1.1", "10.0.0", "localhost", "01.2.3.4", "fe80::1%eth0",
                                      {0: "10.0.0.1"}])
def test_invalid_clientip_is_refused(call: CallAction, clientip: Any) -> None:
    assert refusal(call, clientip=clientip, **STARTER) == "Invalid IP address provided for 'clientip'"


def test_bad_payment_method_is_reported_before_a_bad_clientip(call: CallAction) -> None:
    assert refusal(call, paymentmethod="bitcoin", clientip="nope") == PAYMENT_ERROR


# --- 5. array strictness when domaintype is an array ---------------------------------------------------


@pytest.mark.parametrize("name", DOMAIN_ARRAYS)
def test_with_domaintype_an_array_each_domain_parameter_must_be_an_array(call: CallAction, name: str) -> None:
    params = {"domaintype": {0: "register"}, "domain": {0: "strict.com"}, name: "1"}
    assert refusal(call, **params) == f"Expecting parameter '{name}' to be an array"


def test_array_strictness_names_the_first_offender_in_whmcs_order(call: CallAction) -> None:
    message = refusal(call, domaintype={0: "register"}, domain="strict.com", domainfields="")
    assert message == "Expecting parameter 'domainfields' to be an array"


def test_scalar_domaintype_accepts_scalar_domain_parameters(call: CallAction) -> None:
    placed = add_order(call, domaintype="register", domain="scalar.com", regperiod="1", dnsmanagement="1")
    assert placed["domainids"] == "40"


def test_bad_clientip_is_reported_before_array_strictness(call: CallAction) -> None:
    message = refusal(call, clientip="nope", domaintype={0: "register"}, domain="strict.com")
    assert message == "Invalid IP address provided for 'clientip'"


# --- 6-7. addon-only orders ----------------------------------------------------------------------------


def test_unknown_addonid_is_invalid(call: CallAction) -> None:
    assert refusal(call, addonid="99", serviceid="10") == "Addon ID invalid"


@pytest.mark.parametrize("serviceid", ["30", "999", None])
def test_addonid_needs_a_service_of_the_client(call: CallAction, serviceid: str | None) -> None:
    params = {"addonid": "1", **({} if serviceid is None else {"serviceid": serviceid})}
    assert refusal(call, **params) == "Service ID not owned by Client ID provided"


def test_array_strictness_is_reported_before_a_bad_addonid(call: CallAction) -> None:
    message = refusal(call, domaintype={0: "register"}, domain="strict.com", addonid="99")
    assert message == "Expecting parameter 'domain' to be an array"


def test_unknown_addon_in_addonids_is_invalid(call: CallAction) -> None:
    assert refusal(call, addonids={0: "1", 1: "99"}, serviceids={0: "10", 1: "10"}) == "Addon ID invalid"


@pytest.mark.parametrize(("serviceids", "shown"), [({0: "30"}, "30"), ({0: "999"}, "999"), ({}, "0")])
def test_addonids_need_services_of_the_client_named_in_the_message(
    call: CallAction, serviceids: dict[int, str], shown: str
) -> None:
    message = refusal(call, addonids={0: "1"}, serviceids=serviceids)
    assert message == f"Service ID {shown} not owned by Client ID provided"


def test_addonid_is_checked_before_addonids(call: CallAction) -> None:
    message = refusal(call, addonid="1", serviceid="30", addonids={0: "99"}, serviceids={0: "10"})
    assert message == "Service ID not owned by Client ID provided"


# --- 8-9. renewals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["emmy.com", "nosuch.com"])
def test_renewing_a_domain_the_client_does_not_have_is_refused(call: CallAction, name: str) -> None:
    assert refusal(call, domainrenewals={name: "1"}) == "Domain not owned by Client ID provided"


@pytest.mark.parametrize(
    ("name", "status"),
    [("pending.com", "Pending"), ("cancelled.com", "Cancelled"), ("arriving.com", "Pending Transfer"),
     ("fraud.com", "Fraud"), ("away.com", "Transferred Away")],
)
def test_renewing_a_domain_that_is_not_live_names_its_status(
    call: CallAction, name: str, status: str
) -> None:
    message = refusal(call, domainrenewals={name: "1"})
    assert message == f"Domain status is set to '{status}' and cannot be renewed"


@pytest.mark.parametrize("name", ["existing.example.com", "expired.com", "grace.com", "redemption.com",
                                  "EXPIRED.com"])
def test_active_expired_grace_and_redemption_domains_can_be_renewed(call: CallAction, name: str) -> None:
    assert add_order(call, domainrenewals={name: "1"})["result"] == "success"


def test_bad_addonids_are_reported_before_bad_domain_renewals(call: CallAction) -> None:
    assert refusal(call, addonids={0: "99"}, domainrenewals={"pending.com": "1"}) == "Addon ID invalid"


@pytest.mark.parametrize("serviceid", ["31", "32", "34", "30", "999"])
def test_a_service_that_cannot_be_renewed_is_refused_with_the_8_12_message(
    call: CallAction, serviceid: str
) -> None:
    # Pending, free, one-time, another client's, and no service at all.
    assert refusal(call, servicerenewals={0: serviceid}) == f"The system cannot renew Service ID {serviceid}."


def test_bad_domain_renewals_are_reported_before_bad_service_renewals(call: CallAction) -> None:
    message = refusal(call, domainrenewals={"nosuch.com": "1"}, servicerenewals={0: "31"})
    assert message == "Domain not owned by Client ID provided"


@pytest.mark.parametrize("addonid", ["41", "43", "999"])
def test_an_addon_that_cannot_be_renewed_is_refused(call: CallAction, addonid: str) -> None:
    # Cancelled, another client's, and no addon at all.
    assert refusal(call, addonrenewals={0: addonid}) == f"The system cannot renew Service Addon ID {addonid}."


def test_bad_service_renewals_are_reported_before_bad_addon_renewals(call: CallAction) -> None:
    message = refusal(call, servicerenewals={0: "31"}, addonrenewals={0: "41"})
    assert message == "The system cannot renew Service ID 31."


def test_suspended_services_and_their_addons_can_be_renewed(call: CallAction) -> None:
    placed = add_order(call, servicerenewals={0: "33"}, addonrenewals={0: "40"})
    assert placed["result"] == "success"


# --- 10. the empty cart --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"pid": {0: "999"}},
        {"pid": ""},
        {"domain": {0: "nodomaintype.com"}},
        {"domaintype": {0: "owndomain"}, "domain": {0: "mine.com"}},
        {"domainrenewals": "expired.com"},
        {"addonid": "0"},
    ],
    ids=["nothing", "unknown-pid", "empty-pid", "domain-without-type", "other-domaintype",
         "domainrenewals-not-an-array", "addonid-zero"],
)
def test_an_order_with_nothing_to_order_is_refused(call: CallAction, params: dict[str, Any]) -> None:
    assert refusal(call, **params) == NO_ITEMS


def test_bad_service_renewals_are_reported_before_the_empty_cart(call: CallAction) -> None:
    assert refusal(call, servicerenewals={0: "31"}) == "The system cannot renew Service ID 31."


# --- 11. pricing errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domaintype", "domain", "regperiod"),
    [
        ("register", "example.nope", "1"),
        ("register", "nodot", "1"),
        ("register", "", "1"),
        ("register", "example.com", "5"),
        ("register", "example.com", "-1"),
        ("transfer", "example.com", "2"),
        ("transfer", "example.uk", "1"),
    ],
)
def test_a_domain_without_a_price_for_its_tld_and_period_is_refused(
    call: CallAction, domaintype: str, domain: str, regperiod: str
) -> None:
    message = refusal(call, domaintype={0: domaintype}, domain={0: domain}, regperiod={0: regperiod})
    assert message == "Invalid TLD/Registration Period Supplied for Domain Registration"


def test_a_client_whose_currency_has_no_tld_price_cannot_register(call: CallAction) -> None:
    # .eu is priced in EUR only: nothing converts to the default currency (USD, client 1's).
    message = refusal(call, clientid="1", domaintype={0: "register"}, domain={0: "euro.eu"})
    assert message == "Invalid TLD/Registration Period Supplied for Domain Registration"


@pytest.mark.parametrize(
    ("name", "years"), [("unpriced.xyz", "1"), ("expired.com", "3"), ("expired.com", "")]
)
def test_a_domain_renewal_without_a_price_is_refused(call: CallAction, name: str, years: str) -> None:
    message = refusal(call, domainrenewals={name: years})
    assert message == "Invalid TLD/Registration Period Supplied for Domain Renewal"


def test_bad_service_renewals_are_reported_before_pricing_errors(call: CallAction) -> None:
    message = refusal(call, domaintype={0: "register"}, domain={0: "example.nope"}, servicerenewals={0: "31"})
    assert message == "The system cannot renew Service ID 31."


@pytest.mark.parametrize("name", ["customfields", "configoptions", "domainfields"])
@pytest.mark.parametrize(
    "value",
    ["not base64 at all!", "czo1OiJoZWxsbyI7", "Tzo4OiJzdGRDbGFzcyI6MDp7fQ==", {0: "x"}],
    ids=["garbage", "a-string-not-an-array", "an-object", "an-array"],
)
def test_a_corrupt_serialized_array_is_refused_clearly(call: CallAction, name: str, value: Any) -> None:
    params = {"pid": {0: "1"}, "domaintype": {0: "register"}, "domain": {0: "serial.com"}, name: {0: value}}
    assert refusal(call, **params) == f"{name}[0] is not a base64-encoded PHP serialized array"


# --- nothing is written when a check fails -------------------------------------------------------------


def test_a_refused_order_writes_nothing_and_draws_no_random_number(call: CallAction, store: Store) -> None:
    before = {name: (len(table), table.next_id) for name, table in store.tables().items()}
    state = store.random.getstate()
    refusal(call, pid={0: "1", 1: "3"}, addons={0: "1"}, domaintype={0: "register", 1: "register"},
            domain={0: "fine.com", 1: "broken.nope"}, domainrenewals={"expired.com": "1"})
    assert {name: (len(table), table.next_id) for name, table in store.tables().items()} == before
    assert store.random.getstate() == state


# --- the answer ----------------------------------------------------------------------------------------


def test_success_answer_has_whmcs_keys_in_order_with_id_lists_as_strings(call: CallAction) -> None:
    placed = add_order(call, pid={0: "1", 1: "3"}, addons={0: "1"}, domaintype={0: "register"},
                       domain={0: "answer.com"})
    assert placed == {"result": "success", "orderid": 1, "productids": "35,36", "serviceids": "35,36",
                      "addonids": "44", "domainids": "40", "invoiceid": 1}
    assert list(placed) == ["result", "orderid", "productids", "serviceids", "addonids", "domainids",
                            "invoiceid"]


def test_id_lists_are_empty_strings_when_nothing_of_the_kind_was_created(call: CallAction) -> None:
    placed = add_order(call, domainrenewals={"expired.com": "1"})
    assert (placed["productids"], placed["serviceids"], placed["addonids"], placed["domainids"]) == (
        "", "", "", ""
    )


@pytest.mark.parametrize("noinvoice", ["1", "true", "on", "false", "False", "yes"])
def test_noinvoice_leaves_out_invoiceid(call: CallAction, noinvoice: str) -> None:
    # PHP truthiness: every string but "" and "0" is true, "false" included.
    placed = add_order(call, noinvoice=noinvoice, **STARTER)
    assert "invoiceid" not in placed
    assert list(placed)[-1] == "domainids"


def test_an_order_without_an_invoice_answers_invoiceid_0(call: CallAction, store: Store) -> None:
    # A free product bills nothing, so no invoice is made; 8.12 still answers invoiceid, as 0.
    placed = add_order(call, pid={0: "4"}, domain={0: "free.com"})
    assert list(placed) == ["result", "orderid", "productids", "serviceids", "addonids", "domainids",
                            "invoiceid"]
    assert placed["invoiceid"] == 0
    assert len(store.invoices) == 0
    assert "invoiceid" not in add_order(call, pid={0: "4"}, domain={0: "free.com"}, noinvoice="1")


@pytest.mark.parametrize("noinvoice", ["", "0"])
def test_noinvoice_false_values_still_invoice(call: CallAction, noinvoice: str) -> None:
    assert add_order(call, noinvoice=noinvoice, **STARTER)["invoiceid"] == 1


# --- the registration: every AddOrder.md parameter, and nothing else -----------------------------------


def test_registration_lists_every_documented_parameter() -> None:
    entry = find_action("add_order")
    assert entry is not None and entry.name == "AddOrder" and not entry.list_style
    documented = {
        "clientid", "paymentmethod", "pid", "qty", "domain", "billingcycle", "domaintype", "regperiod",
        "idnlanguage", "eppcode", "nameserver1", "nameserver2", "nameserver3", "nameserver4", "nameserver5",
        "customfields", "configoptions", "priceoverride", "promocode", "promooverride", "affid", "noinvoice",
        "noinvoiceemail", "noemail", "addons", "addonsqty", "hostname", "ns1prefix", "ns2prefix", "rootpw",
        "contactid", "dnsmanagement", "domainfields", "emailforwarding", "idprotection",
        "domainpriceoverride", "domainrenewoverride", "domainrenewals", "clientip", "addonid", "addonidqty",
        "serviceid", "addonids", "addonidsqty", "serviceids", "servicerenewals", "addonrenewals",
    }
    assert entry.params == documented
    assert set(PARAMS) | set(FLAGS) | set(ARRAYS) == documented
    assert entry.flags == {"promooverride", "noinvoice", "noinvoiceemail", "noemail", "dnsmanagement",
                           "emailforwarding", "idprotection"}
    assert "$addonsqty" not in entry.params
    assert entry.arrays == documented - {
        "clientid", "paymentmethod", "nameserver1", "nameserver2", "nameserver3", "nameserver4",
        "nameserver5", "promocode", "promooverride", "affid", "noinvoice", "noinvoiceemail", "noemail",
        "contactid", "clientip", "addonid", "addonidqty", "serviceid",
    }

