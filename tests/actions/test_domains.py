"""Domain actions: availability, every registrar command through the scenario's outcomes, and
UpdateClientDomain. A refused call leaves the domain exactly as it was."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockwhmcs.actions.domains import IDN_LANGUAGES
from mockwhmcs.store.models import Domain
from mockwhmcs.store.snapshot import snapshot
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction, store_for
from tests.actions.helpers import api_error
from tests.support import TEST_SCENARIOS

# The domains scenario: 20 enom (default), 21 a registrar refusing everything, 22 none, 23 "silent".
ENOM, REFUSING, ORPHAN, SILENT = "20", "21", "22", "23"


@pytest.fixture
def store() -> Store:
    return store_for(str(TEST_SCENARIOS / "domains.yaml"))


def domain(store: Store, domainid: str) -> Domain:
    found = store.domains.get(int(domainid))
    assert found is not None
    return found


def listed(call: CallAction, domainid: str) -> dict[str, Any]:
    return call("GetClientsDomains", domainid=domainid)["domains"]["domain"][0]


# --- DomainWhois ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status"), [
    ("free.com", "available"),
    ("example.com", "unavailable"),  # listed under whois.taken
    ("EXAMPLE.com", "unavailable"),
    ("shop.example.net", "unavailable"),  # the rule *.example.net
    ("example.net", "available"),
    ("existing.example.com", "unavailable"),  # the store holds it
    ("refused.eu", "unavailable"),
])
def test_whois_says_what_is_taken(call: CallAction, name: str, status: str) -> None:
    assert call("DomainWhois", domain=name)["status"] == status


def test_whois_answers_with_the_whois_server_s_text(call: CallAction) -> None:
    assert call("DomainWhois", domain="free.com") == {
        "result": "success", "status": "available", "whois": 'No match for "FREE.COM".',
    }
    assert call("DomainWhois", domain="existing.example.com")["whois"] == (
        "Domain Name: EXISTING.EXAMPLE.COM\nName Server: NS1.EXAMPLE.COM\nName Server: NS2.EXAMPLE.COM"
    )


def test_a_registered_domain_becomes_unavailable(call: CallAction) -> None:
    call("AddOrder", clientid="1", paymentmethod="mailin", domaintype={0: "register"},
         domain={0: "fresh.com"})
    assert call("DomainWhois", domain="fresh.com")["status"] == "unavailable"


@pytest.mark.parametrize("name", ["", "   ", "nodot", "-bad.com", "bad-.com", "bad_name.com", "a..com",
                                  ".com", "sp ace.com", "x" * 64 + ".com"])
def test_whois_refuses_what_is_not_a_domain(call: CallAction, name: str) -> None:
    assert api_error(call, "DomainWhois", domain=name).message == "Domain not valid"


def test_whois_refuses_a_tld_it_has_no_server_for(call: CallAction) -> None:
    message = api_error(call, "DomainWhois", domain="example.org").message
    assert message == "The given TLD is not supported for WHOIS lookups"


def test_whois_accepts_international_names(call: CallAction) -> None:
    assert call("DomainWhois", domain="bücher.com")["status"] == "available"


# --- not found, no registrar, registrar errors: the same for every registrar command ------------------

# (action, extra parameters, the page's not-found string, the registrar command it runs)
COMMANDS: list[tuple[str, dict[str, Any], str]] = [
    ("DomainRegister", {}, "Domain Not Found"),
    ("DomainTransfer", {"eppcode": "X"}, "Domain Not Found"),
    ("DomainRenew", {"regperiod": "1"}, "Domain Not Found"),
    ("DomainRelease", {"newtag": "TAG"}, "Domain Not Found"),
    ("DomainRequestEPP", {}, "Domain ID Not Found"),
    ("DomainGetNameservers", {}, "Domain ID Not Found"),
    ("DomainUpdateNameservers", {"ns1": "ns1.x.com", "ns2": "ns2.x.com"}, "Domain ID Not Found"),
    ("DomainUpdateLockingStatus", {"lockstatus": "1"}, "Domain ID Not Found"),
    ("DomainGetWhoisInfo", {}, "Domain ID Not Found"),
    ("DomainUpdateWhoisInfo", {"xml": "<c><Registrant><Email>a@b.c</Email></Registrant></c>"},
     "Domain ID Not Found"),
    ("DomainToggleIdProtect", {"idprotect": "1"}, "Domain ID Not Found"),
]
REGISTRAR_ERRORS = {
    "DomainRegister": "Domain not available for registration",
    "DomainTransfer": "Invalid EPP code",
    "DomainRenew": "Renewal refused",
    "DomainRelease": "Release refused",
    "DomainRequestEPP": "EPP refused",
    "DomainGetNameservers": "Nameserver not registered",
    "DomainUpdateNameservers": "Nameserver not registered",
    "DomainUpdateLockingStatus": "Lock refused",
    "DomainGetWhoisInfo": "Contact refused",
    "DomainUpdateWhoisInfo": "Contact refused",
    "DomainToggleIdProtect": "ID protection refused",
}


@pytest.mark.parametrize(("action", "params", "missing"), COMMANDS)
@pytest.mark.parametrize("domainid", ["999", "0", "abc", None])
def test_an_unknown_domain_gets_the_page_s_not_found_string(
    call: CallAction, action: str, params: dict[str, Any], missing: str, domainid: str | None
) -> None:
    ids = {} if domainid is None else {"domainid": domainid}
    assert api_error(call, action, **ids, **params).message == missing


@pytest.mark.parametrize(("action", "params", "missing"), COMMANDS)
def test_a_registrar_error_comes_back_with_its_message_and_changes_nothing(
    call: CallAction, store: Store, action: str, params: dict[str, Any], missing: str
) -> None:
    before = copy.copy(domain(store, REFUSING))
    assert api_error(call, action, domainid=REFUSING, **params).message == REGISTRAR_ERRORS[action]
    assert domain(store, REFUSING) == before


@pytest.mark.parametrize(("action", "params", "missing"), COMMANDS)
def test_a_domain_without_a_registrar_has_no_registrar_function(
    call: CallAction, store: Store, action: str, params: dict[str, Any], missing: str
) -> None:
    before = copy.copy(domain(store, ORPHAN))
    assert api_error(call, action, domainid=ORPHAN, **params).message == "Registrar Function Not Supported"
    assert domain(store, ORPHAN) == before


@pytest.mark.parametrize("action", ["DomainRegister", "DomainTransfer", "DomainRenew", "DomainRelease",
                                    "DomainUpdateNameservers"])
def test_actions_taking_a_domain_name_find_it_by_name(call: CallAction, action: str) -> None:
    params = dict(next(extra for name, extra, _ in COMMANDS if name == action))
    assert call(action, domain="EXISTING.example.com", **params) == {"result": "success"}


def test_a_name_nobody_holds_is_not_found(call: CallAction) -> None:
    assert api_error(call, "DomainRenew", domain="nobody.com").message == "Domain Not Found"


# --- what each command changes ------------------------------------------------------------------------


def test_register_activates_the_domain_from_today_for_its_period(call: CallAction, store: Store) -> None:
    placed = call("AddOrder", clientid="1", paymentmethod="mailin", domaintype={0: "register"},
                  domain={0: "new.com"}, regperiod={0: "2"})
    call("UpdateClientDomain", domainid=placed["domainids"], registrar="enom")

    assert call("DomainRegister", domainid=placed["domainids"], idnlanguage="FRE") == {"result": "success"}
    row = listed(call, placed["domainids"])
    assert (row["status"], row["regdate"], row["expirydate"], row["nextduedate"]) == (
        "Active", "2026-01-15", "2028-01-15", "2028-01-15")
    assert domain(store, placed["domainids"]).idnlanguage == "fre"


def test_register_refuses_an_unknown_idn_language_first(call: CallAction, store: Store) -> None:
    before = copy.copy(domain(store, ENOM))
    message = api_error(call, "DomainRegister", domainid=ENOM, idnlanguage="klingon").message
    assert message == "Invalid IDN Language. Must be one of: " + ", ".join(IDN_LANGUAGES)
    assert message.startswith("Invalid IDN Language. Must be one of: afr, alb, ara")
    assert domain(store, ENOM) == before


def test_transfer_starts_and_keeps_the_epp_code(call: CallAction, store: Store) -> None:
    assert call("DomainTransfer", domainid=ENOM, eppcode="s3cr3t") == {"result": "success"}
    assert (domain(store, ENOM).status, domain(store, ENOM).eppcode) == ("Pending Transfer", "s3cr3t")
    # An EPP code is a transfer secret: the state snapshot does not show it.
    assert snapshot(store)["domains"][0]["eppcode"] == "***"


def test_renew_adds_the_stored_period_to_expiry_and_next_due_date(call: CallAction) -> None:
    assert call("DomainRenew", domainid=SILENT) == {"result": "success"}
    row = listed(call, SILENT)
    # An expired domain renewed is active again.
    assert (row["status"], row["expirydate"], row["nextduedate"]) == ("Active", "2027-01-01", "2027-01-01")


def test_renew_for_a_given_period(call: CallAction) -> None:
    call("DomainRenew", domainid=SILENT, regperiod="3")
    row = listed(call, SILENT)
    assert (row["expirydate"], row["nextduedate"], row["regperiod"]) == ("2029-01-01", "2029-01-01", 1)


def test_renew_of_a_domain_without_dates_counts_from_today(call: CallAction) -> None:
    call("DomainRenew", domainid=ENOM)
    row = listed(call, ENOM)
    assert (row["expirydate"], row["nextduedate"]) == ("2027-01-15", "2027-01-15")


def test_release_hands_the_domain_away(call: CallAction) -> None:
    assert call("DomainRelease", domainid=ENOM, newtag="NEWTAG") == {"result": "success"}
    assert listed(call, ENOM)["status"] == "Transferred Away"


def test_request_epp_returns_the_registrar_s_code(call: CallAction) -> None:
    assert call("DomainRequestEPP", domainid=ENOM) == {"result": "success", "eppcode": "EPP-CODE-123"}


def test_request_epp_without_a_code_means_it_went_to_the_registrant(call: CallAction) -> None:
    assert call("DomainRequestEPP", domainid=SILENT) == {"result": "success"}


def test_nameservers_are_those_the_scenario_gives(call: CallAction) -> None:
    assert call("DomainGetNameservers", domainid=ENOM) == {
        "result": "success", "ns1": "ns1.example.com", "ns2": "ns2.example.com",
    }


def test_nameservers_of_an_ordered_domain_are_the_order_s(call: CallAction) -> None:
    placed = call("AddOrder", clientid="1", paymentmethod="mailin", domaintype={0: "register"},
                  domain={0: "ns.com"}, nameserver1="ns1.host.test", nameserver2="ns2.host.test")
    call("UpdateClientDomain", domainid=placed["domainids"], registrar="enom")
    assert call("DomainGetNameservers", domainid=placed["domainids"]) == {
        "result": "success", "ns1": "ns1.host.test", "ns2": "ns2.host.test",
    }


def test_a_domain_with_no_nameservers_known_answers_none(call: CallAction) -> None:
    assert call("DomainGetNameservers", domainid=SILENT) == {"result": "success"}


def test_update_nameservers_saves_up_to_five(call: CallAction) -> None:
    servers = {f"ns{n}": f"ns{n}.new.test" for n in (1, 2, 3)}
    assert call("DomainUpdateNameservers", domainid=ENOM, **servers, ns4="", ns5="") == {"result": "success"}
    assert call("DomainGetNameservers", domainid=ENOM) == {"result": "success", **servers}


@pytest.mark.parametrize("servers", [{}, {"ns1": "a.test"}, {"ns2": "b.test"}, {"ns1": " ", "ns2": "b.test"}])
def test_update_nameservers_needs_ns1_and_ns2(
    call: CallAction, store: Store, servers: dict[str, str]
) -> None:
    before = copy.copy(domain(store, ENOM))
    message = api_error(call, "DomainUpdateNameservers", domainid=ENOM, **servers).message
    assert message == "ns1 and ns2 required"
    assert domain(store, ENOM) == before


def test_locking_status_reads_the_scenario_s_lock(call: CallAction) -> None:
    assert call("DomainGetLockingStatus", domainid=ENOM) == {"result": "success", "lockstatus": "locked"}
    assert call("DomainGetLockingStatus", domainid=SILENT) == {"result": "success", "lockstatus": "unlocked"}


@pytest.mark.parametrize(("sent", "lockstatus"), [("0", "unlocked"), ("", "unlocked"), (None, "unlocked"),
                                                  ("1", "locked"), ("false", "locked")])
def test_update_locking_status_reads_lockstatus_with_php_truthiness(
    call: CallAction, sent: str | None, lockstatus: str
) -> None:
    params = {} if sent is None else {"lockstatus": sent}
    assert call("DomainUpdateLockingStatus", domainid=ENOM, **params) == {"result": "success"}
    assert call("DomainGetLockingStatus", domainid=ENOM)["lockstatus"] == lockstatus


def test_locking_status_of_an_unknown_domain(call: CallAction) -> None:
    assert api_error(call, "DomainGetLockingStatus", domainid="999").message == "Domain ID Not Found"


def test_toggle_id_protect_shows_in_the_domain_list(call: CallAction) -> None:
    call("DomainToggleIdProtect", domainid=ENOM, idprotect="1")
    assert listed(call, ENOM)["idprotection"] == 1
    call("DomainToggleIdProtect", domainid=ENOM, idprotect="0")
    assert listed(call, ENOM)["idprotection"] == 0


# --- WHOIS contacts ---------------------------------------------------------------------------------


def test_whois_info_is_the_client_s_details_by_default(call: CallAction) -> None:
    contact = {
        "First_Name": "Ada", "Last_Name": "Lovelace", "Organisation_Name": None, "Job_Title": None,
        "Email": "ada@example.com", "Address_1": "", "Address_2": "", "City": "", "State": "", "Postcode": "",
        "Country": "", "Phone": "",
    }
    assert call("DomainGetWhoisInfo", domainid=ENOM) == {
        "result": "success", "Registrant": contact, "Admin": contact, "Tech": contact,
    }


def test_whois_info_set_in_the_scenario_replaces_that_contact(call: CallAction) -> None:
    answer = call("DomainGetWhoisInfo", domainid=SILENT)
    assert answer["Registrant"] == {
        "First_Name": "Emmy", "Email": "emmy@example.com", "Organisation_Name": None,
    }
    assert answer["Admin"]["Organisation_Name"] == "Euro Ltd"


def test_update_whois_info_changes_the_contacts_sent(call: CallAction) -> None:
    xml = ("<contactdetails><Registrant><Name>Test Client</Name><Email>test@testemail.com</Email>"
           "<Address2></Address2></Registrant></contactdetails>")
    assert call("DomainUpdateWhoisInfo", domainid=ENOM, xml=xml) == {"result": "success"}
    answer = call("DomainGetWhoisInfo", domainid=ENOM)
    assert answer["Registrant"] == {"Name": "Test Client", "Email": "test@testemail.com", "Address2": ""}
    assert answer["Admin"]["First_Name"] == "Ada"


@pytest.mark.parametrize("xml", [None, "", "  ", "<unclosed>", "not xml"])
def test_update_whois_info_needs_xml(call: CallAction, store: Store, xml: str | None) -> None:
    before = copy.copy(domain(store, ENOM))
    params = {} if xml is None else {"xml": xml}
    assert api_error(call, "DomainUpdateWhoisInfo", domainid=ENOM, **params).message == "XML Required"
    assert domain(store, ENOM) == before


# --- UpdateClientDomain ------------------------------------------------------------------------------


def test_update_client_domain_sets_every_field(call: CallAction) -> None:
    answer = call(
        "UpdateClientDomain", domainid=ENOM, dnsmanagement="1", emailforwarding="on", idprotection="1",
        donotrenew="1", type="transfer", regdate="2025-01-02", nextduedate="2027-03-04",
        expirydate="2027-03-05",
        domain="renamed.com", firstpaymentamount="12.5", recurringamount="13abc", registrar="silent",
        regperiod="3", paymentmethod="paypal", subscriptionid="SUB-1", status="grace", notes="VIP <b>",
        promoid="1",
    )
    assert answer == {"result": "success", "domainid": 20}
    assert listed(call, ENOM) == {
        "id": 20, "userid": 1, "orderid": 0, "regtype": "Transfer", "domainname": "renamed.com",
        "registrar": "silent", "regperiod": 3, "firstpaymentamount": "12.50", "recurringamount": "13.00",
        "paymentmethod": "paypal", "paymentmethodname": "PayPal", "regdate": "2025-01-02",
        "expirydate": "2027-03-05", "nextduedate": "2027-03-04", "status": "Grace", "subscriptionid": "SUB-1",
        "promoid": 1, "dnsmanagement": 1, "emailforwarding": 1, "idprotection": 1, "donotrenew": 1,
        "notes": "VIP &lt;b&gt;",
    }


def test_a_renamed_domain_is_found_by_its_new_name(call: CallAction) -> None:
    call("UpdateClientDomain", domainid=ENOM, domain="renamed.com")
    assert call("GetClientsDomains", domain="renamed.com")["totalresults"] == 1
    assert call("DomainWhois", domain="renamed.com")["status"] == "unavailable"
    assert call("DomainRenew", domain="renamed.com") == {"result": "success"}


def test_update_client_domain_leaves_what_is_not_sent(call: CallAction, store: Store) -> None:
    before = copy.copy(domain(store, SILENT))
    call("UpdateClientDomain", domainid=SILENT)
    assert domain(store, SILENT) == before


@pytest.mark.parametrize(("sent", "stored"), [("2026-02-30", "0000-00-00"), ("15/01/2026", "0000-00-00"),
                                              ("", "0000-00-00"), ("2026-02-28", "2026-02-28")])
def test_dates_are_kept_as_a_date_column_keeps_them(call: CallAction, sent: str, stored: str) -> None:
    call("UpdateClientDomain", domainid=ENOM, expirydate=sent)
    assert listed(call, ENOM)["expirydate"] == stored


def test_a_status_the_column_lacks_is_stored_empty(call: CallAction) -> None:
    call("UpdateClientDomain", domainid=ENOM, status="Parked")
    assert listed(call, ENOM)["status"] == ""


def test_autorecalc_prices_the_renewal_in_the_client_s_currency(call: CallAction) -> None:
    # quiet.net belongs to a client billed in EUR: .net renews at 11.95 USD x 0.92.
    call("UpdateClientDomain", domainid=SILENT, recurringamount="1.00", autorecalc="1")
    assert listed(call, SILENT)["recurringamount"] == "10.99"


def test_update_client_domain_of_an_unknown_domain(call: CallAction) -> None:
    message = api_error(call, "UpdateClientDomain", domainid="999", status="Active").message
    assert message == "Domain ID Not Found"


@pytest.mark.parametrize(("domainid", "params"), [
    (ENOM, {"registrar": "nosuch", "status": "Cancelled"}),
    (ORPHAN, {"updatens": "1", "ns1": "a.test", "ns2": "b.test", "status": "Cancelled"}),
])
def test_an_inactive_registrar_is_refused(
    call: CallAction, store: Store, domainid: str, params: dict[str, str]
) -> None:
    before = copy.copy(domain(store, domainid))
    message = api_error(call, "UpdateClientDomain", domainid=domainid, **params).message
    assert message == "The Registrar is not active"
    assert domain(store, domainid) == before


def test_updatens_saves_the_nameservers_at_the_registrar(call: CallAction) -> None:
    call("UpdateClientDomain", domainid=ENOM, updatens="1", ns1="a.test", ns2="b.test", ns3="c.test")
    assert call("DomainGetNameservers", domainid=ENOM) == {
        "result": "success", "ns1": "a.test", "ns2": "b.test", "ns3": "c.test",
    }


def test_nameservers_without_updatens_are_not_sent(call: CallAction) -> None:
    call("UpdateClientDomain", domainid=ENOM, ns1="a.test", ns2="b.test")
    assert call("DomainGetNameservers", domainid=ENOM)["ns1"] == "ns1.example.com"


@pytest.mark.parametrize(("domainid", "params", "message"), [
    (ENOM, {"updatens": "1", "ns1": "a.test"}, "ns1 and ns2 required"),
    (REFUSING, {"updatens": "1", "ns1": "a.test", "ns2": "b.test"}, "Nameserver not registered"),
])
def test_updatens_errors_change_nothing(
    call: CallAction, store: Store, domainid: str, params: dict[str, str], message: str
) -> None:
    before = copy.copy(domain(store, domainid))
    refused = api_error(call, "UpdateClientDomain", domainid=domainid, status="Fraud", **params)
    assert refused.message == message
    assert domain(store, domainid) == before
