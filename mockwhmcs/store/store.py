"""The mock WHMCS's state: the scenario's catalog, the records actions change, a clock and a seeded RNG.

Nothing here knows about HTTP. Actions run under ``store.lock`` (one at a time, as WHMCS's
database transactions would serialise them), and ``reset()`` goes back to the scenario in time
proportional to the scenario's own records, whatever was created since.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import re
import string
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .cart import addon_price, cycle_price, product_price
from .models import (
    EMAIL_KINDS,
    NO_TIME,
    Addon,
    Admin,
    ApiCredential,
    Client,
    ConfigOption,
    ConfigOptionChoice,
    Contact,
    Credit,
    Currency,
    CustomField,
    Domain,
    Email,
    FraudModule,
    Invoice,
    InvoiceItem,
    ModuleLog,
    Order,
    PaymentMethod,
    Product,
    ProductGroup,
    Promotion,
    Server,
    Service,
    ServiceAddon,
    SsoToken,
    SupportDepartment,
    Ticket,
    TicketNote,
    TicketReply,
    Tld,
    Transaction,
    User,
    UserClient,
    action_key,
)
from .pricing import CYCLE_DISPLAY, build_pricing, invoice_totals, per_currency, to_decimal, to_rate
from .scenario import Scenario
from .tables import Table

if TYPE_CHECKING:
    from .persistence import StateFile

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
ALLOWQTY = {"0": "0", "no": "0", "1": "multiple", "multiple": "multiple", "2": "scaling",
            "scaling": "scaling"}

# How many ticket numbers OpenTicket draws before it gives up on finding an unused one.
TICKET_NUMBER_ATTEMPTS = 100

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Settings:
    whmcs_version: str
    seed: int
    now: datetime | None
    # None means any caller ("*" in the scenario).
    allowed_networks: tuple[IpNetwork, ...] | None
    banned_networks: tuple[IpNetwork, ...]
    access_key: str | None
    # "real" answers like WHMCS 8.12 does; "documented" uses the strings its API reference gives
    # where the two differ (FIDELITY: real behaviour is the default).
    behaviour: str = "real"
    # WHMCS's System URL setting: where the client area is, which single sign-on links point to.
    system_url: str = "http://localhost/"


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the scenario configures and no action changes."""

    settings: Settings
    currencies: dict[int, Currency]
    payment_methods: tuple[PaymentMethod, ...]
    admins: dict[str, Admin]
    credentials: dict[str, ApiCredential]
    product_groups: dict[int, ProductGroup]
    products: dict[int, Product]
    addons: dict[int, Addon]
    tlds: dict[str, Tld]
    promotions: dict[str, Promotion]
    servers: dict[int, Server]
    modules: dict[str, dict[str, str]]
    # Registrar -> command -> "success" or the error; "eppcode" is the code DomainRequestEPP returns.
    registrars: dict[str, dict[str, str]]
    fraud_modules: dict[str, FraudModule]
    support_departments: dict[int, SupportDepartment]
    # DomainWhois: names and wildcard rules (*.example.org) the scenario says are taken, lower-cased.
    whois_taken: tuple[str, ...] = ()
    # Each gateway module's display name, which every order and service read-back shows.
    gateway_names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        names = {method.module: method.displayname for method in reversed(self.payment_methods)}
        object.__setattr__(self, "gateway_names", names)

    @property
    def default_currency(self) -> Currency:
        return next(c for c in self.currencies.values() if c.default)


class Clock:
    """WHMCS's notion of now: frozen at the scenario's ``now``, or the real clock plus an offset."""

    def __init__(self, frozen: datetime | None) -> None:
        self._frozen = frozen
        self._offset = timedelta()
        self._held: datetime | None = None

    def now(self) -> datetime:
        if self._held is not None:
            return self._held
        base = self._frozen if self._frozen is not None else datetime.now().replace(microsecond=0)
        return base + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def set(self, moment: datetime) -> None:
        self._frozen = moment
        self._offset = timedelta()

    def advance(self, seconds: float) -> None:
        self._offset += timedelta(seconds=seconds)

    def state(self) -> tuple[datetime | None, timedelta]:
        """The frozen moment (None: the real clock) and the offset: all a restart needs to restore."""
        return self._frozen, self._offset

    def restore(self, frozen: datetime | None, offset: timedelta) -> None:
        self._frozen, self._offset = frozen, offset

    @contextmanager
    def held(self, moment: datetime | None = None) -> Iterator[datetime]:
        """``now()`` answers one instant (``moment``, else the current one) until the block ends.

        Each API call runs holding the clock, so a call sees one time however often it reads it, and
        replaying the call from the state file at that recorded time does exactly what it did.
        """
        saved = self._held
        self._held = self.now() if moment is None else moment
        try:
            yield self._held
        finally:
            self._held = saved


# The record tables, with the indexes the actions look rows up by.
# Only fields no action changes are indexed (a client's email changes: UpdateClient).
RECORD_TABLES: dict[str, tuple[str, ...]] = {
    "clients": (),
    "contacts": ("userid",),
    "orders": ("userid", "ordernum"),
    "services": ("userid", "orderid"),
    "service_addons": ("userid", "orderid", "hostingid"),
    "domains": ("userid", "orderid", "domain"),
    "invoices": ("userid",),
    "invoiceitems": ("invoiceid",),
    "transactions": ("userid", "invoiceid", "transid"),
    "credits": ("clientid",),
    "emails": ("userid",),
    "module_log": ("serviceid",),
    "tickets": ("tid",),
    "ticket_replies": ("tid",),
    "ticket_notes": ("ticketid",),
    "users": (),
    "user_clients": ("auth_user_id", "client_id"),
    "sso_tokens": (),
}


class Store:
    clients: Table[Client]
    contacts: Table[Contact]
    users: Table[User]
    user_clients: Table[UserClient]
    sso_tokens: Table[SsoToken]
    orders: Table[Order]
    services: Table[Service]
    service_addons: Table[ServiceAddon]
    domains: Table[Domain]
    invoices: Table[Invoice]
    invoiceitems: Table[InvoiceItem]
    transactions: Table[Transaction]
    credits: Table[Credit]
    emails: Table[Email]
    module_log: Table[ModuleLog]
    tickets: Table[Ticket]
    ticket_replies: Table[TicketReply]
    ticket_notes: Table[TicketNote]

    def __init__(self, scenario: Scenario) -> None:
        self.lock = threading.RLock()
        # Where every change is written before it is acknowledged, when the server keeps its state.
        self.log: StateFile | None = None
        self.scenario = scenario
        self.catalog = build_catalog(scenario.data)
        self._baseline = build_records(scenario.data, self.catalog)
        self.clock = Clock(self.catalog.settings.now)
        self.random = random.Random(self.catalog.settings.seed)
        self._formatted = (datetime.min, "", "")
        self.reset()

    def reset(self) -> None:
        """Back to exactly the scenario's state: records, clock and random sequence (and a state file
        started afresh)."""
        with self.lock:
            # The file first: a reset it cannot record (HTTP 503) must leave the store as it was.
            if self.log is not None:
                self.log.restart(self.scenario)
            for name, table in self._baseline.items():
                setattr(self, name, table.clone())
            self.clock = Clock(self.catalog.settings.now)
            self.random.seed(self.catalog.settings.seed)

    def clock_changed(self) -> None:
        """Record the clock as the control plane left it, so a restart finds it there."""
        if self.log is not None:
            self.log.clock(*self.clock.state())

    def now(self) -> str:
        """The current date and time as WHMCS stores it (``Y-m-d H:i:s``)."""
        return self._timestamps()[1]

    def today(self) -> str:
        return self._timestamps()[2]

    def _timestamps(self) -> tuple[datetime, str, str]:
        # An order reads the time for each record it writes, all at one held instant: format it once.
        moment = self.clock.now()
        if self._formatted[0] != moment:
            self._formatted = (moment, moment.strftime(TIME_FORMAT), moment.strftime("%Y-%m-%d"))
        return self._formatted

    def tables(self) -> dict[str, Table[Any]]:
        return {name: getattr(self, name) for name in RECORD_TABLES}


def _networks(entries: list[str]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def build_catalog(data: dict[str, Any]) -> Catalog:
    raw_settings = data["settings"]
    allowed = raw_settings["allowed_ips"]
    now = raw_settings.get("now")
    settings = Settings(
        whmcs_version=str(raw_settings["whmcs_version"]),
        seed=int(raw_settings["seed"]),
        now=datetime.strptime(now, TIME_FORMAT) if now else None,
        allowed_networks=None if "*" in allowed else _networks(allowed),
        banned_networks=_networks(raw_settings.get("banned_ips", [])),
        access_key=raw_settings.get("access_key"),
        behaviour=raw_settings.get("behaviour", "real"),
        system_url=raw_settings["system_url"].rstrip("/") + "/",
    )
    currencies = _currencies(raw_settings)
    currency_list = list(currencies.values())
    return Catalog(
        settings=settings,
        currencies=currencies,
        payment_methods=tuple(PaymentMethod(m["module"], m["displayname"]) for m in data["payment_methods"]),
        admins={
            a["username"]: Admin(a["username"], str(a["password"]), a.get("api_access", True),
                                 a.get("disabled", False), a["id"])
            for a in data["admins"]
        },
        credentials={c["identifier"]: _credential(c) for c in data["api_credentials"]},
        product_groups={g["id"]: ProductGroup(g["id"], g["name"]) for g in data["product_groups"]},
        products={p["id"]: _product(p, currency_list) for p in data["products"]},
        addons={
            a["id"]: Addon(
                id=a["id"], name=a["name"], packages=tuple(a.get("packages", ())),
                billingcycle=a.get("billingcycle", ""), module=a.get("module", ""),
                autosetup=a.get("autosetup", ""), description=a.get("description", ""),
                pricing=build_pricing(a["pricing"], currency_list),
            )
            for a in data["addons"]
        },
        tlds={_tld_name(t["tld"]): _tld(t, currency_list) for t in data["tlds"]},
        promotions={
            p["code"].lower(): Promotion(
                id=p["id"], code=p["code"], type=p["type"], value=to_decimal(p["value"]),
                appliesto=tuple(p.get("appliesto", ())), expires=p.get("expires", "0000-00-00"),
                recurring=p.get("recurring", False), maxuses=p.get("maxuses", 0),
                addons=tuple(p.get("addons", ())), tlds=tuple(p.get("tlds", ())),
                cycles=tuple(p.get("cycles", ())), startdate=p.get("startdate", "0000-00-00"),
                uses=p.get("uses", 0),
                **{key: p[key] for key in _PROMOTION_CONDITIONS if key in p},
            )
            for p in data["promotions"]
        },
        servers={
            s["id"]: Server(s["id"], s["name"], s.get("module", ""), s.get("hostname", ""),
                            s.get("ipaddress", ""))
            for s in data["servers"]
        },
        modules={name: dict(outcomes or {}) for name, outcomes in data["modules"].items()},
        registrars={name: _registrar(outcomes or {}) for name, outcomes in data["registrars"].items()},
        whois_taken=tuple(name.lower() for name in data["whois"]["taken"]),
        fraud_modules={
            name: FraudModule(name, raw["active"], raw["check"])
            for name, raw in data["fraud_modules"].items()
        },
        support_departments={
            d["id"]: SupportDepartment(d["id"], d["name"], d["email"])
            for d in data["support_departments"]
        },
    )


# Promotion keys the store keeps as the scenario gives them (GetPromotions shows them).
_PROMOTION_CONDITIONS = ("recurfor", "lifetimepromo", "applyonce", "newsignups", "existingclient",
                         "onceperclient", "notes")


def _registrar(raw: dict[str, Any]) -> dict[str, str]:
    """A registrar's outcomes. ``epp`` is the exception to "a string is an error": its string is the
    EPP code the registrar returns, and ``{error: ...}`` makes it fail."""
    outcomes = {command: answer for command, answer in raw.items() if command != "epp"}
    epp = raw.get("epp", "success")
    if isinstance(epp, dict):
        outcomes["epp"] = epp["error"]
    elif epp != "success":
        outcomes["eppcode"] = epp
    return outcomes


def _currencies(raw_settings: dict[str, Any]) -> dict[int, Currency]:
    listed = raw_settings.get("currencies") or [dict(raw_settings["currency"], default=True)]
    currencies = {}
    for position, c in enumerate(listed, start=1):
        currency_id = c.get("id", position)
        currencies[currency_id] = Currency(
            id=currency_id, code=c["code"], prefix=c.get("prefix", ""), suffix=c.get("suffix", ""),
            rate=to_rate(c.get("rate", 1)), default=c.get("default", position == 1),
            format=c.get("format", 1),
        )
    return currencies


def _credential(raw: dict[str, Any]) -> ApiCredential:
    allowed = raw.get("allowed_actions", "all")
    return ApiCredential(
        identifier=raw["identifier"], secret=str(raw["secret"]), admin=raw.get("admin"),
        allowed_actions=None if allowed == "all" else frozenset(action_key(a) for a in allowed),
    )


def _product(raw: dict[str, Any], currencies: list[Currency]) -> Product:
    return Product(
        id=raw["id"], gid=raw["gid"], name=raw["name"], type=raw.get("type", "hostingaccount"),
        paytype=raw.get("paytype", "recurring"), module=raw.get("module", ""),
        autosetup=raw.get("autosetup", ""), allowqty=ALLOWQTY[str(raw.get("allowqty", 0)).lower()],
        description=raw.get("description", ""), slug=raw.get("slug") or _slug(raw["name"]),
        pricing=build_pricing(raw["pricing"], currencies),
        customfields=tuple(CustomField(f["id"], f["name"], f.get("description", ""), f.get("required", False))
                           for f in raw.get("customfields", ())),
        configoptions=tuple(
            ConfigOption(
                id=o["id"], name=o["name"], type=o.get("type", "dropdown"),
                options=tuple(
                    ConfigOptionChoice(c["id"], c["name"], build_pricing(c.get("pricing", {}), currencies))
                    for c in o.get("options", ())
                ),
                minqty=o.get("minqty", 0), maxqty=o.get("maxqty", 0),
            )
            for o in raw.get("configoptions", ())
        ),
    )


def _slug(name: str) -> str:
    """WHMCS 8 gives every product a URL slug made from its name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _tld_name(tld: str) -> str:
    return tld if tld.startswith(".") else "." + tld


def _tld(raw: dict[str, Any], currencies: list[Currency]) -> Tld:
    def years(kind: str) -> dict[str, dict[int, Decimal]]:
        # The loader gives {currency code: {"1": price, ...}}; a currency left out is converted.
        given = {code: {int(year): to_decimal(price) for year, price in prices.items()}
                 for code, prices in raw[kind].items()}
        return per_currency(given, currencies)

    addons = raw.get("addons", {})
    return Tld(
        tld=_tld_name(raw["tld"]), register=years("register"), transfer=years("transfer"),
        renew=years("renew"), registrar=raw.get("registrar", ""),
        categories=tuple(raw.get("categories", ("Other",))), group=raw.get("group", ""),
        dnsmanagement=addons.get("dnsmanagement", False),
        emailforwarding=addons.get("emailforwarding", False),
        idprotection=addons.get("idprotection", False), grace_period=raw.get("grace_period"),
        redemption_period=raw.get("redemption_period"), id=raw["id"],
    )


def build_records(data: dict[str, Any], catalog: Catalog) -> dict[str, Table[Any]]:
    """The scenario's pre-existing records, in tables that reset() clones."""
    tables: dict[str, Table[Any]] = {name: Table(indexed) for name, indexed in RECORD_TABLES.items()}
    # A client's currency is written as its code or its id.
    codes: dict[str | int, int] = {c.code: c.id for c in catalog.currencies.values()}
    codes.update((c.id, c.id) for c in catalog.currencies.values())
    default_currency = catalog.default_currency.id
    for raw in data["clients"]:
        tables["clients"].add(Client(
            id=raw["id"], firstname=raw["firstname"], lastname=raw["lastname"], email=raw["email"],
            status=raw["status"], currency=codes.get(raw["currency"], default_currency),
            credit=to_decimal(raw.get("credit", 0)), uuid=str(uuid.uuid5(_UUIDS, f"client {raw['id']}")),
            email_preferences=_email_kinds(raw, EMAIL_KINDS),
            **{name: raw[name] for name in _CLIENT_KEYS if name in raw},
        ))
        for contact in raw["contacts"]:
            tables["contacts"].add(Contact(
                id=contact["id"], userid=raw["id"], email_preferences=_email_kinds(contact, ()),
                **{name: contact.get(name, "") for name in _CONTACT_KEYS},
            ))
    _users(data, tables)
    for raw in data["services"]:
        product = catalog.products[raw["pid"]]
        currency = catalog.currencies[tables["clients"].rows[raw["client"]].currency].code
        # A cycle left out is the one an order would get: the product's first priced cycle.
        cycle = raw.get("billingcycle") or product_price(product, currency, None).cycle
        amount = _amount(raw, "recurringamount", cycle_price(product.pricing, currency, cycle).recurring)
        tables["services"].add(Service(
            id=raw["id"], userid=raw["client"], orderid=raw.get("orderid", 0), packageid=raw["pid"],
            regdate=raw.get("regdate", "0000-00-00"), billingcycle=CYCLE_DISPLAY[cycle],
            status=raw.get("status", "Active"), domain=raw.get("domain", ""),
            server=raw.get("serverid", 0), paymentmethod=raw.get("paymentmethod", ""),
            amount=amount, firstpaymentamount=_amount(raw, "firstpaymentamount", amount),
            nextduedate=raw.get("nextduedate", "0000-00-00"),
            username=raw.get("username", ""), password=raw.get("password", ""),
            dedicatedip=raw.get("dedicatedip", ""), qty=raw.get("qty", 1),
        ))
        for addon_raw in raw.get("addons", ()):
            addon = catalog.addons[addon_raw["addonid"]]
            addon_cycle = addon_raw.get("billingcycle") or addon_price(addon, currency, cycle).cycle
            tables["service_addons"].add(ServiceAddon(
                id=addon_raw["id"], orderid=raw.get("orderid", 0), hostingid=raw["id"], addonid=addon.id,
                userid=raw["client"], name=addon.name, billingcycle=CYCLE_DISPLAY[addon_cycle],
                regdate=addon_raw.get("regdate", "0000-00-00"), status=addon_raw.get("status", "Active"),
                qty=addon_raw.get("qty", 1),
                recurring=_amount(addon_raw, "recurringamount",
                                  cycle_price(addon.pricing, currency, addon_cycle).recurring),
                nextduedate=addon_raw.get("nextduedate", "0000-00-00"),
                paymentmethod=raw.get("paymentmethod", ""),
            ))
    for raw in data["domains"]:
        addons = raw.get("addons", {})
        recurring = to_decimal(raw.get("amount", 0))
        tables["domains"].add(Domain(
            id=raw["id"], userid=raw["client"], orderid=raw.get("orderid", 0), domain=raw["domain"],
            type=raw.get("type", "Register"), status=raw.get("status", "Active"),
            registrar=raw.get("registrar", ""), registrationdate=raw.get("regdate", "0000-00-00"),
            registrationperiod=raw.get("regperiod", 1), expirydate=raw.get("expirydate", "0000-00-00"),
            nextduedate=raw.get("nextduedate", "0000-00-00"),
            nextinvoicedate=raw.get("nextduedate", "0000-00-00"),
            firstpaymentamount=_amount(raw, "firstpaymentamount", recurring), recurringamount=recurring,
            paymentmethod=raw.get("paymentmethod", ""),
            dnsmanagement=addons.get("dnsmanagement", False),
            emailforwarding=addons.get("emailforwarding", False),
            # `idprotection` beside the other domain keys wins over the older `addons.idprotection`.
            idprotection=raw.get("idprotection", addons.get("idprotection", False)),
            nameservers=tuple(raw.get("nameservers", ())), locked=raw.get("locked", False),
            whois={kind: dict(contact) for kind, contact in raw.get("whois", {}).items()},
        ))
    _build_billing(data, tables, (catalog.settings.now or datetime.now()).strftime("%Y-%m-%d"))
    _build_tickets(data, catalog, tables)
    return tables


def _build_billing(data: dict[str, Any], tables: dict[str, Table[Any]], today: str) -> None:
    """Seeded invoices with their items and payments, and transactions of their own.

    A payment is a transaction of the invoice's client; payments are numbered after the transactions
    the scenario lists, in file order. Rows go into their tables in id order, as tables keep them.
    """
    invoices: list[Invoice] = []
    items: list[InvoiceItem] = []
    transactions = [
        _transaction(raw, raw["id"], raw["client"], raw.get("invoice", 0), raw["amountin"])
        for raw in data["transactions"]
    ]
    next_id = max((row.id for row in transactions), default=0) + 1
    for raw in data["invoices"]:
        # An invoice dated nowhere is dated, and due, on the scenario's today.
        date = raw.get("date", today)
        invoice = Invoice(
            id=raw["id"], userid=raw["client"], date=date, duedate=raw.get("duedate", date),
            status=raw["status"], datepaid=raw.get("datepaid", NO_TIME),
            paymentmethod=raw.get("paymentmethod", ""),
            notes=raw.get("notes", ""), taxrate=to_decimal(raw.get("taxrate", 0)),
            created_at=f"{date} 00:00:00", updated_at=f"{date} 00:00:00",
        )
        lines = [
            InvoiceItem(
                id=item["id"], invoiceid=invoice.id, userid=invoice.userid, type=item["type"],
                relid=item["relid"], description=item["description"], amount=to_decimal(item["amount"]),
                taxed=item["taxed"], duedate=invoice.duedate, paymentmethod=invoice.paymentmethod,
            )
            for item in raw["items"]
        ]
        invoices.append(invoice_totals(invoice, lines))
        items += lines
        for payment in raw["payments"]:
            transactions.append(_transaction(payment, next_id, invoice.userid, invoice.id, payment["amount"]))
            next_id += 1
    for name, rows in (("invoices", invoices), ("invoiceitems", items), ("transactions", transactions)):
        for row in sorted(rows, key=lambda row: row.id):
            tables[name].add(row)


def _transaction(
    raw: dict[str, Any], transaction_id: int, userid: int, invoiceid: int, amountin: Any
) -> Transaction:
    return Transaction(
        id=transaction_id, userid=userid, invoiceid=invoiceid, date=raw["date"], gateway=raw["gateway"],
        description=raw.get("description", "Invoice Payment"), amountin=to_decimal(amountin),
        fees=to_decimal(raw["fees"]), amountout=to_decimal(raw.get("amountout", 0)), transid=raw["transid"],
    )


def _build_tickets(data: dict[str, Any], catalog: Catalog, tables: dict[str, Table[Any]]) -> None:
    """The scenario's tickets with their replies and notes. A ticket number or access key left out is
    drawn as OpenTicket would draw it, from a generator of its own so that the scenario's tickets do
    not move the sequence that the first requests draw from."""
    settings = catalog.settings
    rng = random.Random(f"{settings.seed}:tickets")
    opened = (settings.now or datetime.now()).strftime(TIME_FORMAT)
    first_admin = next(iter(catalog.admins), "")
    taken = {str(raw["tid"]) for raw in data["tickets"] if "tid" in raw}
    for raw in data["tickets"]:
        # A ticket given no date was opened when its first dated reply was sent, else at start-up.
        date = raw.get("date") or min((r["date"] for r in raw["replies"] if "date" in r), default=opened)
        client = tables["clients"].rows.get(raw.get("client", 0))
        userid = client.id if client else 0
        # A client's ticket and replies are known by the client; a guest's by the name and email.
        name, email = ("", "") if client else (raw["name"], raw["email"])
        replies = [
            TicketReply(
                id=reply["id"], tid=raw["id"], userid=userid, date=reply.get("date", date),
                message=reply["message"], name="" if reply["admin"] else name,
                email="" if reply["admin"] else email, admin=reply["admin"],
            )
            for reply in raw["replies"]
        ]
        tid = str(raw["tid"]) if "tid" in raw else ticket_number(rng, taken.__contains__) or ""
        taken.add(tid)
        tables["tickets"].add(Ticket(
            id=raw["id"], tid=tid, c=raw.get("c") or access_key(rng), did=raw["deptid"], userid=userid,
            date=date, title=raw["subject"], message=raw["message"], status=raw["status"],
            urgency=raw["priority"], name=name, email=email, cc=raw["cc"], admin=raw["admin"],
            lastreply=max((reply.date for reply in replies), default=date), flag=raw["flag"],
        ))
        for reply in replies:
            tables["ticket_replies"].add(reply)
        for note in raw["notes"]:
            tables["ticket_notes"].add(TicketNote(
                id=note["id"], ticketid=raw["id"], admin=note.get("admin", first_admin),
                date=note.get("date", date), message=note["message"],
            ))


def ticket_number(rng: random.Random, taken: Callable[[str], bool]) -> str | None:
    """A ticket number no other ticket has (WHMCS's default ticket mask: six random digits), or None
    when every draw of a fair number of them is taken (OpenTicket's "Unable to generate ticket number")."""
    for _ in range(TICKET_NUMBER_ATTEMPTS):
        tid = f"{rng.randrange(1_000_000):06d}"
        if not taken(tid):
            return tid
    return None


def access_key(rng: random.Random) -> str:
    """The eight letters and digits that open a ticket in the client area (``c``)."""
    return "".join(rng.choices(string.ascii_letters + string.digits, k=8))
# Client and contact keys a scenario may give that go into the record as they are written.
_CLIENT_KEYS = ("companyname", "address1", "address2", "city", "state", "postcode", "country", "phonenumber",
                "tax_id", "groupid", "datecreated", "notes", "language", "defaultgateway",
                "marketing_emails_opt_in", "taxexempt", "latefeeoveride", "overideduenotices",
                "separateinvoices", "disableautocc", "overrideautoclose", "allow_sso")
_CONTACT_KEYS = ("firstname", "lastname", "email", "companyname", "address1", "address2", "city", "state",
                 "postcode", "country", "phonenumber", "tax_id")
# Scenario clients get a UUID derived from their id, so it is the same on every load.
_UUIDS = uuid.UUID("7c6f1e0a-5b1d-4a52-9a0e-2f6c1d8e4b37")


def _email_kinds(raw: dict[str, Any], default: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of email a scenario client or contact receives: ``<kind>emails: true|false`` keys."""
    return tuple(kind for kind in EMAIL_KINDS if raw.get(f"{kind}emails", kind in default))


def password_hash(password: str) -> str:
    """How the store keeps a user's password: a hash, never the text (empty for a user without one,
    who cannot log in)."""
    return hashlib.sha256(password.encode()).hexdigest() if password else ""


def _users(data: dict[str, Any], tables: dict[str, Table[Any]]) -> None:
    """The scenario's users and the clients each can access. The first user listing a client owns it;
    a client no user lists gets an owner user with its own name and email, as WHMCS 8's upgrade gave
    every existing client (a user with that email already listed is made the owner instead)."""
    users, links = tables["users"], tables["user_clients"]
    owned: set[int] = set()
    for raw in data["users"]:
        users.add(User(
            id=raw["id"], firstname=raw["firstname"], lastname=raw["lastname"], email=raw["email"],
            password=password_hash(raw["password"]), twofactor=raw["twofactor"], language=raw["language"],
            datecreated=raw["datecreated"],
        ))
        for client_id in raw["clients"]:
            links.add(UserClient(links.new_id(), raw["id"], client_id, owner=client_id not in owned))
            owned.add(client_id)
    by_email = {user.email.lower(): user for user in users}
    for client in tables["clients"]:
        if client.id in owned:
            continue
        user = by_email.get(client.email.lower())
        if user is None:
            user = users.add(User(users.new_id(), client.firstname, client.lastname, client.email, ""))
            by_email[client.email.lower()] = user
        links.add(UserClient(links.new_id(), user.id, client.id, owner=True))


def _amount(raw: dict[str, Any], key: str, default: Decimal) -> Decimal:
    """An amount the scenario gives for a record, else what the catalog prices it at."""
    return to_decimal(raw[key]) if key in raw else default
