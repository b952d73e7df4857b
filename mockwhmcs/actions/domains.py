"""Domains and their registrars: DomainWhois, DomainRegister … DomainToggleIdProtect, UpdateClientDomain.

Every registrar command answers what the scenario's ``registrars`` section says (``common.outcome``):
a failure comes back as WHMCS's error envelope with the registrar's message, and changes nothing.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import date
from xml.etree import ElementTree

from ..errors import ApiError
from ..store.cart import domain_price, find_tld, override_amount
from ..store.models import NO_DATE, Domain
from ..store.pricing import add_months
from ..store.store import Catalog, Store
from .common import client_currency, outcome
from .registry import Call, Response, action

# Each page's string for a domain it cannot find: the actions that also take a domain name say
# "Domain Not Found", the others "Domain ID Not Found".
NOT_FOUND = "Domain Not Found"
ID_NOT_FOUND = "Domain ID Not Found"
# The answer for a domain no registrar module handles: there is no registrar function to call.
NO_REGISTRAR = "Registrar Function Not Supported"
NAMESERVERS = tuple(f"ns{n}" for n in range(1, 6))

# A domain name as WHMCS accepts it: labels of letters (any script), digits and inner hyphens, at
# least two of them, at most 253 characters.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}$)(?!.*_)(?:{_LABEL}\.)+{_LABEL}")
# The IDN language codes (ISO 639-2/B, as the AddOrder reference's "fre" is) a registration takes.
IDN_LANGUAGES = (
    "afr", "alb", "ara", "arm", "aze", "baq", "bel", "ben", "bos", "bul", "bur", "cat", "chi", "cze",
    "dan", "dut", "eng", "est", "fao", "fin", "fre", "geo", "ger", "gle", "gre", "guj", "heb", "hin",
    "hun", "ice", "ind", "ita", "jpn", "kaz", "khm", "kir", "kor", "kur", "lao", "lav", "lit", "mac",
    "mal", "may", "mlt", "mon", "nep", "nor", "per", "pol", "por", "pan", "rum", "rus", "san", "slo",
    "slv", "spa", "srp", "swa", "swe", "syr", "tam", "tel", "tgk", "tha", "tib", "tur", "ukr", "urd",
    "uzb", "vie", "wel", "yid",
)
# tbldomains' enum columns: MySQL outside strict mode (which WHMCS requires) stores a value the enum
# lacks as "" and matches the others case-insensitively.
_STATUSES = ("Pending", "Pending Registration", "Pending Transfer", "Active", "Grace", "Redemption",
             "Expired", "Cancelled", "Fraud", "Transferred Away")
_TYPES = ("Register", "Transfer")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- finding the domain and asking its registrar ------------------------------------------------


def _by_id(call: Call, missing: str = ID_NOT_FOUND) -> Domain:
    domain = call.store.domains.get(call.int("domainid"))
    if domain is None:
        raise ApiError(missing)
    return domain


def _by_id_or_name(call: Call, missing: str) -> Domain:
    """The domain ``domainid`` names, else the one called ``domain`` (the pages' "this or domainid")."""
    if call.int("domainid"):
        return _by_id(call, missing)
    name = call.text("domain").strip().lower()
    domain = next((d for d in call.store.domains if name and d.domain.lower() == name), None)
    if domain is None:
        raise ApiError(missing)
    return domain


def _ask_registrar(store: Store, domain: Domain, command: str) -> None:
    """Run ``command`` at the domain's registrar as the scenario says; its error is the answer."""
    if not domain.registrar:
        raise ApiError(NO_REGISTRAR)
    failure = outcome(store.catalog.registrars, domain.registrar, command)
    if failure:
        raise ApiError(failure)


def _add_years(day: str, years: int, today: str) -> str:
    """``day`` plus ``years`` (a day never set counts from today)."""
    start = date.fromisoformat(today if day == NO_DATE else day)
    return add_months(start, 12 * years).isoformat()


# --- availability ---------------------------------------------------------------------------------


@action("DomainWhois", params=("domain",))
def domain_whois(call: Call) -> Response:
    store = call.store
    name = call.text("domain").strip().lower()
    if not _DOMAIN.fullmatch(name):
        raise ApiError("Domain not valid")
    held = next((d for d in store.domains if d.domain.lower() == name), None)
    if held is None and not _whois_knows(store.catalog, name):
        raise ApiError("The given TLD is not supported for WHOIS lookups")
    taken = held is not None or any(fnmatch.fnmatchcase(name, rule) for rule in store.catalog.whois_taken)
    return {
        "result": "success",
        "status": "unavailable" if taken else "available",
        "whois": _whois_text(name, held) if taken else f'No match for "{name.upper()}".',
    }


def _whois_knows(catalog: Catalog, name: str) -> bool:
    """A WHOIS server answers for the TLDs the shop sells and those of the names the scenario lists."""
    tld = name.rsplit(".", 1)[1]
    return find_tld(catalog.tlds, name) is not None or any(
        rule.rsplit(".", 1)[-1] == tld for rule in catalog.whois_taken
    )


def _whois_text(name: str, held: Domain | None) -> str:
    lines = [f"Domain Name: {name.upper()}"]
    if held is not None:
        lines += [f"Name Server: {server.upper()}" for server in _nameservers_of(held, None)]
    return "\n".join(lines)


# --- registrar commands ---------------------------------------------------------------------------


@action("DomainRegister", params=("domainid", "domain", "idnlanguage"), mutates=True)
def domain_register(call: Call) -> Response:
    store = call.store
    domain = _by_id_or_name(call, NOT_FOUND)
    language = call.text("idnlanguage").strip().lower()
    if language and language not in IDN_LANGUAGES:
        raise ApiError(f"Invalid IDN Language. Must be one of: {', '.join(IDN_LANGUAGES)}")
    _ask_registrar(store, domain, "register")
    if language:
        domain.idnlanguage = language
    today = store.today()
    domain.status = "Active"
    domain.registrationdate = today
    domain.expirydate = _add_years(today, domain.registrationperiod, today)
    # The registration is paid for up to its expiry: the renewal falls due then.
    domain.nextduedate = domain.nextinvoicedate = domain.expirydate
    return {"result": "success"}


@action("DomainTransfer", params=("domainid", "domain", "eppcode"), mutates=True)
def domain_transfer(call: Call) -> Response:
    domain = _by_id_or_name(call, NOT_FOUND)
    _ask_registrar(call.store, domain, "transfer")
    if call.text("eppcode"):
        domain.eppcode = call.text("eppcode")
    # The registrar has started the transfer; it completes later (the domain sync), as in WHMCS.
    domain.status = "Pending Transfer"
    return {"result": "success"}


@action("DomainRenew", params=("domainid", "domain", "regperiod"), mutates=True)
def domain_renew(call: Call) -> Response:
    store = call.store
    domain = _by_id_or_name(call, NOT_FOUND)
    years = call.int("regperiod") if call.int("regperiod") > 0 else domain.registrationperiod
    _ask_registrar(store, domain, "renew")
    today = store.today()
    domain.expirydate = _add_years(domain.expirydate, years, today)
    domain.nextduedate = domain.nextinvoicedate = _add_years(domain.nextduedate, years, today)
    if domain.status in ("Expired", "Grace", "Redemption"):
        domain.status = "Active"
    return {"result": "success"}


@action("DomainRelease", params=("domainid", "domain", "newtag"), mutates=True)
def domain_release(call: Call) -> Response:
    domain = _by_id_or_name(call, NOT_FOUND)
    _ask_registrar(call.store, domain, "release")
    # Released to another registrar's tag, the domain is no longer managed here.
    domain.status = "Transferred Away"
    return {"result": "success"}


@action("DomainRequestEPP", params=("domainid",), mutates=True)
def domain_request_epp(call: Call) -> Response:
    store = call.store
    domain = _by_id(call)
    _ask_registrar(store, domain, "epp")
    code = store.catalog.registrars.get(domain.registrar, {}).get("eppcode")
    # No code without an error: the registrar sends it to the registrant itself.
    return {"result": "success", "eppcode": code} if code else {"result": "success"}


@action("DomainGetNameservers", params=("domainid",))
def domain_get_nameservers(call: Call) -> Response:
    store = call.store
    domain = _by_id(call)
    _ask_registrar(store, domain, "nameservers")
    servers = _nameservers_of(domain, store)
    return {"result": "success", **dict(zip(NAMESERVERS, servers, strict=False))}


def _nameservers_of(domain: Domain, store: Store | None) -> tuple[str, ...]:
    """The registrar's nameservers for the domain: those set on it, else those its order asked for."""
    if domain.nameservers or store is None:
        return domain.nameservers
    order = store.orders.get(domain.orderid)
    return tuple(order.nameservers.split(",")) if order is not None and order.nameservers else ()


def _requested_nameservers(call: Call) -> tuple[str, ...]:
    servers = tuple(call.text(name).strip() for name in NAMESERVERS)
    if not (servers[0] and servers[1]):
        raise ApiError("ns1 and ns2 required")
    return tuple(filter(None, servers))


@action("DomainUpdateNameservers", params=("domainid", "domain", *NAMESERVERS), mutates=True)
def domain_update_nameservers(call: Call) -> Response:
    domain = _by_id_or_name(call, ID_NOT_FOUND)
    servers = _requested_nameservers(call)
    _ask_registrar(call.store, domain, "nameservers")
    domain.nameservers = servers
    return {"result": "success"}


@action("DomainGetLockingStatus", params=("domainid",))
def domain_get_locking_status(call: Call) -> Response:
    # The page documents no registrar error for this one: the lock WHMCS last saw is the answer.
    return {"result": "success", "lockstatus": "locked" if _by_id(call).locked else "unlocked"}


@action("DomainUpdateLockingStatus", params=("domainid",), flags=("lockstatus",), mutates=True)
def domain_update_locking_status(call: Call) -> Response:
    return _switch(call, "lock", "lockstatus", "locked")


@action("DomainToggleIdProtect", params=("domainid",), flags=("idprotect",), mutates=True)
def domain_toggle_id_protect(call: Call) -> Response:
    return _switch(call, "idprotect", "idprotect", "idprotection")


def _switch(call: Call, command: str, param: str, field: str) -> Response:
    """A registrar command turning a domain setting on or off as ``param`` says (PHP truthiness:
    absent is off)."""
    domain = _by_id(call)
    _ask_registrar(call.store, domain, command)
    setattr(domain, field, call.flag(param))
    return {"result": "success"}


# --- WHOIS contacts -------------------------------------------------------------------------------


@action("DomainGetWhoisInfo", params=("domainid",))
def domain_get_whois_info(call: Call) -> Response:
    store = call.store
    domain = _by_id(call)
    _ask_registrar(store, domain, "whois")
    return {"result": "success", **_contacts(store, domain)}


def _contacts(store: Store, domain: Domain) -> dict[str, dict[str, str | None]]:
    """The WHOIS contacts the registrar holds: those set on the domain; any type not set is the
    client's own details, which is what an order registers a domain with."""
    client = store.clients.get(domain.userid)
    own: dict[str, str | None] = {} if client is None else {
        "First_Name": client.firstname,
        "Last_Name": client.lastname,
        "Organisation_Name": client.companyname or None,
        "Job_Title": None,
        "Email": client.email,
        "Address_1": client.address1,
        "Address_2": client.address2,
        "City": client.city,
        "State": client.state,
        "Postcode": client.postcode,
        "Country": client.country,
        "Phone": client.phonenumber,
    }
    return {kind: dict(own) for kind in ("Registrant", "Admin", "Tech")} | domain.whois


@action("DomainUpdateWhoisInfo", params=("domainid", "xml"), mutates=True)
def domain_update_whois_info(call: Call) -> Response:
    store = call.store
    domain = _by_id(call)
    changes = _contact_xml(call.text("xml"))
    _ask_registrar(store, domain, "whois")
    domain.whois = _contacts(store, domain) | changes
    return {"result": "success"}


def _contact_xml(text: str) -> dict[str, dict[str, str | None]]:
    """``<contactdetails><Registrant><Name>…</Name>…</Registrant>…</contactdetails>`` as contacts by
    type. XML that does not parse is no XML at all, which WHMCS answers with "XML Required"."""
    try:
        root = ElementTree.fromstring(text) if text.strip() else None
    except ElementTree.ParseError:
        root = None
    if root is None:
        raise ApiError("XML Required")
    return {contact.tag: {field.tag: field.text or "" for field in contact} for contact in root}


# --- UpdateClientDomain ---------------------------------------------------------------------------

_UPDATE_FLAGS = ("dnsmanagement", "emailforwarding", "idprotection", "donotrenew")
_UPDATE_TEXT = {"paymentmethod": "paymentmethod", "subscriptionid": "subscriptionid"}
_UPDATE_DATES = {"regdate": "registrationdate", "expirydate": "expirydate"}
_UPDATE_INTS = {"regperiod": "registrationperiod", "promoid": "promoid"}


@action(
    "UpdateClientDomain",
    params=("domainid", "type", "regdate", "nextduedate", "expirydate", "domain", "firstpaymentamount",
            "recurringamount", "registrar", "regperiod", "paymentmethod", "subscriptionid", "status", "notes",
            "promoid", *NAMESERVERS),
    flags=(*_UPDATE_FLAGS, "autorecalc", "updatens"),
    mutates=True,
)
def update_client_domain(call: Call) -> Response:
    store = call.store
    domain = _by_id(call)
    registrar = call.text("registrar").strip()
    if registrar and registrar not in _active_registrars(store.catalog):
        raise ApiError("The Registrar is not active")
    if call.flag("updatens"):
        servers = _requested_nameservers(call)
        module = registrar or domain.registrar
        if module not in _active_registrars(store.catalog):
            raise ApiError("The Registrar is not active")
        failure = outcome(store.catalog.registrars, module, "nameservers")
        if failure:
            raise ApiError(failure)
        domain.nameservers = servers
    _apply_fields(call, domain, registrar)
    if call.flag("autorecalc"):
        _recalculate(store, domain)
    return {"result": "success", "domainid": domain.id}


def _active_registrars(catalog: Catalog) -> set[str]:
    """The registrar modules the scenario sets up: those it gives outcomes for and those its TLDs use."""
    return set(catalog.registrars) | {tld.registrar for tld in catalog.tlds.values() if tld.registrar}


def _apply_fields(call: Call, domain: Domain, registrar: str) -> None:
    """Every field the request gives, stored the way tbldomains' columns keep them."""
    for name in _UPDATE_FLAGS:
        if call.has(name):
            setattr(domain, name, call.flag(name))
    for name, column in _UPDATE_TEXT.items():
        if call.has(name):
            setattr(domain, column, call.text(name))
    for name, column in _UPDATE_DATES.items():
        if call.has(name):
            setattr(domain, column, _column_date(call.text(name)))
    for name, column in _UPDATE_INTS.items():
        if call.has(name):
            setattr(domain, column, call.int(name))
    if call.has("nextduedate"):
        domain.nextduedate = domain.nextinvoicedate = _column_date(call.text("nextduedate"))
    if call.has("type"):
        domain.type = _column_enum(call.text("type"), _TYPES)
    if call.has("status"):
        domain.status = _column_enum(call.text("status"), _STATUSES)
    if call.text("domain").strip():
        call.store.domains.change(domain, "domain", call.text("domain").strip())
    for name in ("firstpaymentamount", "recurringamount"):
        amount = override_amount(call.params.get(name))
        if amount is not None:
            setattr(domain, name, amount)
    if registrar:
        domain.registrar = registrar
    if call.has("notes"):
        domain.additionalnotes = call.clean("notes")


def _column_date(text: str) -> str:
    """A date as a MySQL DATE column keeps it: anything but a real Y-m-d date is 0000-00-00."""
    try:
        return date.fromisoformat(text).isoformat() if _DATE.fullmatch(text) else NO_DATE
    except ValueError:
        return NO_DATE


def _column_enum(text: str, values: tuple[str, ...]) -> str:
    return next((value for value in values if value.lower() == text.strip().lower()), "")


def _recalculate(store: Store, domain: Domain) -> None:
    """``autorecalc``: the recurring amount becomes the TLD's renewal price for the period, in the
    client's currency; a domain whose TLD has no such price keeps its amount."""
    tld = find_tld(store.catalog.tlds, domain.domain)
    currency = client_currency(store, store.clients.get(domain.userid))
    price = None if tld is None else domain_price(tld.renew, currency.code, domain.registrationperiod)
    if price is not None:
        domain.recurringamount = price

