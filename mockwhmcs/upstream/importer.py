"""A scenario made from a real WHMCS's catalogue and support departments (and, if asked, some of its
clients with what belongs to them), read through its API.

Only read actions are called. Every answer is mapped back onto the scenario keys (SCENARIOS.md), so
that serving the scenario answers GetProducts, GetTLDPricing, GetCurrencies, GetPaymentMethods,
GetPromotions and GetSupportDepartments as the source did. What the API does not tell (product group
names, product addons, servers, admins …) or the scenario cannot hold is named in the file's header
instead of guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..actions.catalog import CONFIG_OPTION_TYPES, NO_UPGRADE_CONFIG
from ..php import intval
from ..store.pricing import CYCLE_DISPLAY, PRICE_KEYS, RECURRING_CYCLES, system_cycle
from .client import NOT_WHMCS, Upstream, UpstreamError

# Records asked for per call when paging (GetClients, GetClientsProducts, GetClientsDomains, GetContacts,
# GetInvoices, GetTickets).
PAGE_SIZE = 100

# What the WHMCS API cannot tell, so no import has it; the header and docs/import.md say so.
NOT_IMPORTED = (
    "product group names (the API has none: groups are named 'Group <gid>')",
    "product addons (the API does not list them: promotions' addons get placeholders)",
    "product autosetup, stock, upgrade paths; TLD registrars; servers",
    "admins, API credentials and allowed IPs (the scenario's defaults are used)",
    "support departments' email addresses (GetSupportDepartments does not show them)",
    "service addons, orders, quotes, credit log entries (a client's credit balance is imported)",
    "passwords of services and users, ticket access keys (never imported: the mock draws its own keys)",
    "service server ids, ticket attachments, invoices' applied credit and second tax rate",
    "tickets of guests and of clients not imported",
)

_LEFT_OUT = " Not imported: "
# Promotion fields the scenario does not hold, with the value a served scenario shows for them.
_PROMOTION_CONSTANTS = {"requires": "", "requiresexisting": 0, "upgrades": 0,
                        "upgradeconfig": NO_UPGRADE_CONFIG}
_PRODUCT_ENUMS = {"type": ("hostingaccount", "reselleraccount", "server", "other"),
                  "paytype": ("free", "onetime", "recurring")}
_CONFIG_OPTION_TYPES = {number: kind for kind, number in CONFIG_OPTION_TYPES.items()}
_PRICE_DEFAULTS = {key: "-1.00" if key in RECURRING_CYCLES else "0.00" for key in PRICE_KEYS}
# A configurable option's price WHMCS has no value for (GetProducts shows 0.00 where a product's is -1.00).
_NO_PRICE = dict.fromkeys(PRICE_KEYS, "0.00")
_DATE = re.compile(r"(0000-00-00|\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))")
_TIME = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d")
_TLD = re.compile(r"\.[a-z0-9][a-z0-9.-]*")
_SERVICE_STATUSES = {"Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud", "Completed"}
_DOMAIN_STATUSES = {"Pending", "Pending Registration", "Pending Transfer", "Active", "Grace", "Redemption",
                    "Expired", "Cancelled", "Fraud", "Transferred Away"}
_CLIENT_FLAGS = ("taxexempt", "latefeeoveride", "overideduenotices", "separateinvoices", "disableautocc",
                 "overrideautoclose", "marketing_emails_opt_in")
_PERSONAL = ("firstname", "lastname", "email", "companyname", "address1", "address2", "city", "state",
             "postcode", "phonenumber", "tax_id", "notes")
_DOMAIN_ADDONS = ("dnsmanagement", "emailforwarding", "idprotection")
_EMAIL_KINDS = ("general", "invoice", "support", "product", "domain", "affiliate")
_INVOICE_STATUSES = {"Draft", "Unpaid", "Paid", "Cancelled", "Refunded", "Collections", "Payment Pending"}
_TICKET_STATUSES = {"Open", "Answered", "Customer-Reply", "On Hold", "In Progress", "Closed"}
_PRIORITIES = {"Low", "Medium", "High"}
_FIRST_NAMES = ("Alex", "Blake", "Casey", "Drew", "Ellis", "Frankie", "Gray", "Harper", "Jordan", "Kai")
_LAST_NAMES = ("Archer", "Baker", "Carter", "Dawson", "Ellison", "Fletcher", "Garner", "Hughes", "Irving",
               "Jensen")


def import_scenario(upstream: Upstream, *, clients: int = 0, keep_personal_data: bool = False,
                    progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """The scenario data of the WHMCS behind ``upstream``: its catalogue, and its first ``clients``
    clients with their services and domains. Raises UpstreamError as the first failing call does."""
    reading = _Reading(upstream, progress)
    try:
        data = reading.catalogue()
        if clients > 0:
            data.update(reading.clients(clients, keep_personal_data))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        # A success answer without the keys the reference page gives it: a WHMCS (or something in
        # front of it) mockwhmcs does not know. One line, like every other failure, never a traceback.
        raise UpstreamError(f"{upstream.url} answered in a shape mockwhmcs cannot import, while "
                            f"{reading.step}: {type(error).__name__} {error}", NOT_WHMCS) from None
    # The description carries what was left out to scenario_yaml's header (and to whoever reads the data).
    data["description"] = f"Imported from {upstream.url}."
    if reading.notes:
        data["description"] += f"{_LEFT_OUT}{'; '.join(reading.notes)}."
    return data


def scenario_yaml(data: dict[str, Any], *, source: str, when: datetime) -> str:
    """The scenario as YAML, after a header saying where and when it came from and what it lacks."""
    options = f" --clients {len(data['clients'])}" if data.get("clients") else ""
    lines = [
        f"Imported from the WHMCS API at {source}",
        f"on {when.strftime('%Y-%m-%d %H:%M:%S %Z').strip()} by: mockwhmcs import {source}{options}",
        "Serve it with: mockwhmcs serve --scenario THIS_FILE",
        "Not imported, as the WHMCS API does not tell them:",
        *(f"  - {item}" for item in NOT_IMPORTED),
    ]
    skipped = data.get("description", "").partition(_LEFT_OUT)[2]
    if skipped:
        lines.append("Not imported from this WHMCS:")
        lines += [f"  - {note}" for note in skipped.rstrip(".").split("; ")]
    # A line break inside a value (a promotion code …) would end the comment: none gets through.
    header = "".join(f"# {' '.join(line.splitlines())}\n" for line in lines)
    return header + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def summary(data: dict[str, Any]) -> str:
    """How much an import holds: "5 products, 2 TLDs, 1 promotion, 0 clients"."""
    counts = ((len(data.get(key, [])), word) for key, word in (
        ("products", "product"), ("tlds", "TLD"), ("promotions", "promotion"), ("clients", "client")))
    return ", ".join(f"{count} {word}{'' if count == 1 else 's'}" for count, word in counts)


def _items(answer: Any, plural: str, singular: str) -> list[dict[str, Any]]:
    """The records of a list answer (``{plural: {singular: [...]}}``); PHP's empty array for none."""
    inner = answer.get(plural) if isinstance(answer, dict) else None
    rows = inner.get(singular) if isinstance(inner, dict) else None
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _prices(table: Any, defaults: dict[str, str] = _PRICE_DEFAULTS) -> dict[str, str]:
    """A GetProducts price table as scenario cycle prices: what differs from a left-out key's value."""
    table = table if isinstance(table, dict) else {}
    return {key: str(table[key]) for key in PRICE_KEYS
            if key in table and str(table[key]) != defaults[key]}


def _date(value: Any) -> str | None:
    text = str(value or "")
    return text if _DATE.fullmatch(text) else None


def _time(value: Any) -> str | None:
    text = str(value or "")
    return text if _TIME.fullmatch(text) else None


def _amount(value: Any) -> bool:
    """Whether a money value (from an answer) is not zero."""
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", str(value or "0"))) and float(str(value or "0")) != 0


def _text(raw: dict[str, Any], key: str) -> str | None:
    return str(raw[key]) if key in raw and raw[key] is not None else None


def _flag(value: Any) -> bool:
    return value not in (0, "0", "", False, None)


def _put(record: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` says nothing (None or empty text): the scenario's default stands."""
    if value is not None and value != "":
        record[key] = value


class _Reading:
    """One import: the source, where progress goes, and the notes on what was left out."""

    def __init__(self, upstream: Upstream, progress: Callable[[str], None]) -> None:
        self.upstream = upstream
        self._progress = progress
        self.step = "starting"  # the last progress line, for an answer that cannot be read
        self.notes: list[str] = []
        # What the catalogue holds, for the clients' records to refer to: product ids, and the
        # source's currency ids -> codes (a client's currency is written by code).
        self.pids: set[int] = set()
        self.currency_codes: dict[int, str] = {}
        self.deptids: set[int] = set()
        # Admins' names in ticket replies, each shown as "Staff <n>" unless personal data is kept.
        self.staff: dict[str, str] = {}

    def progress(self, line: str) -> None:
        self.step = line.rstrip("…")
        self._progress(line)

    def note(self, text: str) -> None:
        self.notes.append(text)
        self._progress(f"not imported: {text}")

    # --- the catalogue ---------------------------------------------------------------------------

    def catalogue(self) -> dict[str, Any]:
        self.progress("importing currencies…")
        currencies = _items(self.upstream.call("GetCurrencies"), "currencies", "currency")
        if not currencies:
            self.note("currencies (the WHMCS lists none: USD is used)")
        settings = self._settings(currencies)
        self.progress("importing payment methods…")
        answer = self.upstream.call("GetPaymentMethods")
        methods = [{"module": m["module"], "displayname": m.get("displayname", m["module"])}
                   for m in _items(answer, "paymentmethods", "paymentmethod")]
        self.progress("importing products…")
        answer = self.upstream.call("GetProducts")
        products = [self._product(p) for p in _items(answer, "products", "product")]
        self._unique_config_option_ids(products)
        self.pids = {p["id"] for p in products}
        groups = sorted({p["gid"] for p in products if "gid" in p})
        self.progress("importing TLD pricing…")
        tlds = self._tlds(currencies)
        self.progress("importing promotions…")
        addons: dict[int, dict[str, Any]] = {}
        promotions = [
            promotion for raw in _items(self.upstream.call("GetPromotions"), "promotions", "promotion")
            if (promotion := self._promotion(raw, addons)) is not None
        ]
        self.progress("importing support departments…")
        departments = self._departments()
        return {
            "name": urlsplit(self.upstream.url).hostname or "imported",
            "description": "",
            "settings": settings,
            "payment_methods": methods,
            "product_groups": [{"id": gid, "name": f"Group {gid}"} for gid in groups],
            "products": products,
            "addons": [addons[key] for key in sorted(addons)],
            "tlds": tlds,
            "promotions": promotions,
            "support_departments": departments,
        }

    def _departments(self) -> list[dict[str, Any]]:
        # Every department, not only those the API's admin is assigned to; their emails are not shown.
        answer = self.upstream.call("GetSupportDepartments", {"ignore_dept_assignments": 1})
        departments = []
        for raw in _items(answer, "departments", "department"):
            if str(raw.get("name") or ""):
                departments.append({"id": intval(raw["id"]), "name": str(raw["name"])})
            else:
                self.note(f"support department {raw.get('id')} (it has no name)")
        self.deptids = {department["id"] for department in departments}
        return departments

    def _settings(self, currencies: list[dict[str, Any]]) -> dict[str, Any]:
        self.currency_codes = {intval(c["id"]): c["code"] for c in currencies}
        if not currencies:
            return {}
        # WHMCS's default currency is the one the others' rates are against: rate 1.
        default = next((c for c in currencies if str(c.get("rate")) in ("1", "1.00000")), currencies[0])
        if default["id"] != 1:
            self.note(f"the default currency's id {default['id']} (the scenario's default currency is id 1)")

        def currency(raw: dict[str, Any]) -> dict[str, Any]:
            shaped = {"code": raw["code"], "prefix": raw.get("prefix", ""), "suffix": raw.get("suffix", "")}
            if intval(raw.get("format", 1)) in (1, 2, 3, 4):
                shaped["format"] = intval(raw.get("format", 1))
            return shaped

        others = []
        for raw in currencies:
            if raw is not default:
                # The default takes id 1; a currency holding that id takes the default's own.
                currency_id = default["id"] if raw["id"] == 1 else raw["id"]
                others.append({"id": currency_id, **currency(raw), "rate": str(raw.get("rate", "1"))})
        settings: dict[str, Any] = {"currency": currency(default)}
        if others:
            settings["currencies"] = others
        return settings

    def _product(self, raw: dict[str, Any]) -> dict[str, Any]:
        product: dict[str, Any] = {"id": raw["pid"], "name": raw["name"]}
        if intval(raw.get("gid", 0)) > 0:
            product["gid"] = intval(raw["gid"])
        else:
            self.note(f"product {raw['pid']}'s group (it has none: the scenario puts it in the first)")
        for key in ("slug", "description", "module"):
            _put(product, key, raw.get(key))
        for key, values in _PRODUCT_ENUMS.items():
            if raw.get(key) in values:
                product[key] = raw[key]
            elif raw.get(key):
                self.note(f"product {raw['pid']}'s {key} {raw[key]!r}")
        product["allowqty"] = {1: "multiple", 2: "scaling"}.get(intval(raw.get("allowqty", 0)), 0)
        pricing = raw.get("pricing")
        product["pricing"] = {code: _prices(table) for code, table in pricing.items()} if isinstance(
            pricing, dict) else {}
        product["customfields"] = [
            {"id": field["id"], "name": field["name"], "description": field.get("description") or "",
             "required": _flag(field.get("required"))}
            for field in _items(raw, "customfields", "customfield")
        ]
        product["configoptions"] = [self._config_option(option)
                                    for option in _items(raw, "configoptions", "configoption")]
        return product

    def _config_option(self, raw: dict[str, Any]) -> dict[str, Any]:
        kind = _CONFIG_OPTION_TYPES.get(str(raw.get("type", "1")), "dropdown")
        options = [
            {"id": choice["id"], "name": str(choice.get("name") or ""),
             "pricing": {code: _prices(table, _NO_PRICE)
                         for code, table in (choice.get("pricing") or {}).items()}}
            for choice in _items(raw, "options", "option")
        ]
        option = {"id": raw["id"], "name": raw["name"], "type": kind}
        for key in ("minqty", "maxqty"):
            _put(option, key, max(intval(raw.get(key) or 0), 0) or None)
        return {**option, "options": options}

    def _unique_config_option_ids(self, products: list[dict[str, Any]]) -> None:
        """WHMCS shares one config option group between products; a scenario numbers options per
        product, so a product after the first gets new ids for the shared ones."""
        seen_options: set[int] = set()
        seen_choices: set[int] = set()
        for product in products:
            for option in product["configoptions"]:
                if option["id"] in seen_options:
                    self.note(f"product {product['id']}'s config option {option['id']} id (shared with an "
                              "earlier product: numbered anew)")
                    del option["id"]
                else:
                    seen_options.add(option["id"])
                for choice in option["options"]:
                    if choice["id"] in seen_choices:
                        del choice["id"]
                    else:
                        seen_choices.add(choice["id"])

    def _tlds(self, currencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every TLD with its prices in every currency: GetTLDPricing answers in one currency a call."""
        tlds: dict[str, dict[str, Any]] = {}
        for currency in currencies or [{"id": 1, "code": "USD"}]:
            answer = self.upstream.call("GetTLDPricing", {"currencyid": currency["id"]})
            code = answer.get("currency", {}).get("code", currency["code"])
            pricing = answer.get("pricing")
            for name, raw in (pricing.items() if isinstance(pricing, dict) else ()):
                tld = tlds.get(name)
                if tld is None:
                    tld = tlds[name] = self._tld(name, raw)
                for kind in ("register", "transfer", "renew"):
                    years = raw.get(kind)
                    priced = years.items() if isinstance(years, dict) else ()
                    tld[kind][code] = {intval(year): str(price) for year, price in priced}
        return [tld for tld in tlds.values() if tld["tld"]]

    def _tld(self, name: str, raw: dict[str, Any]) -> dict[str, Any]:
        dotted = "." + name.lstrip(".")
        if not _TLD.fullmatch(dotted):
            self.note(f"TLD {dotted} (not a name a scenario can hold)")
            dotted = ""
        addons = raw.get("addons") if isinstance(raw.get("addons"), dict) else {}
        tld: dict[str, Any] = {
            "tld": dotted, "register": {}, "transfer": {}, "renew": {},
            "categories": [str(c) for c in raw.get("categories") or [] if c],
            "group": raw.get("group") or "",
            "addons": {"dnsmanagement": bool(addons.get("dns")), "emailforwarding": bool(addons.get("email")),
                       "idprotection": bool(addons.get("idprotect"))},
        }
        if tld["group"] not in ("", "hot", "new", "sale"):
            self.note(f"TLD {dotted}'s group {tld['group']!r}")
            tld["group"] = ""
        for key in ("grace_period", "redemption_period"):
            value = raw.get(key)
            if value is not None and intval(value) >= 0:
                tld[key] = intval(value)
        return tld

    def _promotion(self, raw: dict[str, Any], addons: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
        code = raw.get("code") or ""
        if raw.get("type") not in ("Percentage", "Fixed Amount", "Price Override", "Free Setup") or not code:
            self.note(f"promotion {code or raw.get('id')!r} (type {raw.get('type')!r})")
            return None
        promotion: dict[str, Any] = {"id": raw["id"], "code": code, "type": raw["type"],
                                     "value": str(raw.get("value", 0)),
                                     "recurring": _flag(raw.get("recurring"))}
        cycles = [system_cycle(text) for text in str(raw.get("cycles") or "").split(",") if text.strip()]
        promotion["cycles"] = [cycle for cycle in cycles if cycle]
        applies: dict[str, list[Any]] = {"appliesto": [], "addons": [], "tlds": []}
        for item in filter(None, str(raw.get("appliesto") or "").split(",")):
            if item[0] == "A" and item[1:].isdigit():
                addons.setdefault(int(item[1:]), {"id": int(item[1:]), "name": f"Addon {item[1:]}"})
                applies["addons"].append(int(item[1:]))
            elif item[0] == "D" and _TLD.fullmatch(item[1:]):
                applies["tlds"].append(item[1:])
            elif item.isdigit() and int(item) in self.pids:
                applies["appliesto"].append(int(item))
            else:
                self.note(f"promotion {code}'s appliesto item {item!r}")
        promotion.update(applies)
        for key, field in (("startdate", "startdate"), ("expires", "expirationdate")):
            _put(promotion, key, _date(raw.get(field)))
        for key in ("maxuses", "uses", "recurfor"):
            promotion[key] = max(intval(raw.get(key, 0)), 0)
        for key in ("lifetimepromo", "applyonce", "newsignups", "existingclient", "onceperclient"):
            promotion[key] = _flag(raw.get(key))
        _put(promotion, "notes", raw.get("notes"))
        differing = [key for key, shown in _PROMOTION_CONSTANTS.items() if key in raw and raw[key] != shown]
        if differing:
            self.note(f"promotion {code}'s {', '.join(differing)}")
        return promotion

    # --- clients ---------------------------------------------------------------------------------

    def clients(self, wanted: int, keep_personal_data: bool) -> dict[str, list[dict[str, Any]]]:
        keep = keep_personal_data
        found: dict[str, list[dict[str, Any]]] = {key: [] for key in (
            "clients", "users", "services", "domains", "invoices", "transactions", "tickets")}
        # Each user once, with the imported clients it owns (first) and can access, by user id.
        users: dict[int, dict[str, Any]] = {}
        for listed in self._pages("GetClients", {}, "clients", "client", wanted, "clients"):
            client_id = intval(listed["id"])
            details = self.upstream.call("GetClientsDetails", {"clientid": client_id})
            # WHMCS answers the details both at the top level and under `client`.
            details = details.get("client") or details
            client = self._client(listed, details, keep)
            client["contacts"] = [self._contact(raw, keep) for raw in
                                  self._pages("GetContacts", {"userid": client_id}, "contacts", "contact")]
            found["clients"].append(client)
            for raw in _items(details, "users", "user"):
                user = users.setdefault(intval(raw.get("id")), {"email": str(raw.get("email") or ""),
                                                                 "owns": [], "accesses": []})
                user["owns" if _flag(raw.get("is_owner")) else "accesses"].append(client_id)
            of_client = {"clientid": client_id}
            found["services"] += self._each("GetClientsProducts", of_client, "products", self._service, keep)
            found["domains"] += self._each("GetClientsDomains", of_client, "domains", self._domain, keep)
            invoices = self._each("GetInvoices", {"userid": client_id}, "invoices", self._invoice, keep)
            found["invoices"] += invoices
            found["transactions"] += self._transactions(client_id, {invoice["id"] for invoice in invoices})
            every_department = {**of_client, "ignore_dept_assignments": 1}
            found["tickets"] += self._each("GetTickets", every_department, "tickets", self._ticket, keep)
        found["users"] = self._users(users, keep)
        for key in ("invoices", "transactions", "tickets"):
            found[key].sort(key=lambda record: record["id"])
        return found

    def _each(self, action: str, params: dict[str, Any], plural: str,
              shape: Callable[[dict[str, Any], int, bool], dict[str, Any] | None],
              keep: bool) -> list[dict[str, Any]]:
        """Every record of a client's paged list shaped for the scenario, but those ``shape`` leaves out."""
        client_id = params.get("clientid") or params["userid"]
        shaped = (shape(raw, client_id, keep) for raw in self._pages(action, params, plural, plural[:-1]))
        return [record for record in shaped if record is not None]

    def _pages(self, action: str, params: dict[str, Any], plural: str, singular: str,
               wanted: int | None = None, what: str = "") -> Iterator[dict[str, Any]]:
        """The records of a paged list action, ``wanted`` at most, fetched a page at a time."""
        start = 0
        while wanted is None or start < wanted:
            limit = PAGE_SIZE if wanted is None else min(PAGE_SIZE, wanted - start)
            answer = self.upstream.call(action, {**params, "limitstart": start, "limitnum": limit})
            rows = _items(answer, plural, singular)[:limit]
            total = intval(answer.get("totalresults", 0))
            if what:
                self.progress(f"importing {what} {start + 1}-{start + len(rows)} of "
                              f"{min(total, wanted or total)}…")
            yield from rows
            start += len(rows)
            if not rows or start >= total:
                return

    def _client(self, listed: dict[str, Any], raw: dict[str, Any], keep: bool) -> dict[str, Any]:
        client_id = listed["id"]
        personal = {key: str(raw.get(key) or listed.get(key) or "") for key in _PERSONAL}
        if not keep:
            personal = _fake_person(client_id, personal)
        client: dict[str, Any] = {"id": client_id, **{k: v for k, v in personal.items()
                                                      if v or k in ("firstname", "lastname", "email")}}
        status = raw.get("status") or listed.get("status")
        _put(client, "status", status if status in ("Active", "Inactive", "Closed") else None)
        country = str(raw.get("countrycode") or raw.get("country") or "")
        _put(client, "country", country if re.fullmatch(r"[A-Z]{2}", country) else None)
        _put(client, "currency", self.currency_codes.get(intval(raw.get("currency", 0))))
        _put(client, "credit", _text(raw, "credit"))
        _put(client, "groupid", max(intval(raw.get("groupid", 0)), 0))
        _put(client, "datecreated", _date(listed.get("datecreated")))
        _put(client, "language", raw.get("language"))
        _put(client, "defaultgateway", raw.get("defaultgateway"))
        for key in _CLIENT_FLAGS:
            if key in raw:
                client[key] = _flag(raw[key])
        if "allowSingleSignOn" in raw:
            client["allow_sso"] = _flag(raw["allowSingleSignOn"])
        preferences = raw.get("email_preferences")
        for kind, value in (preferences.items() if isinstance(preferences, dict) else ()):
            if kind in ("general", "invoice", "support", "product", "domain", "affiliate"):
                client[f"{kind}emails"] = _flag(value)
        return client

    def _service(self, raw: dict[str, Any], client_id: int, keep: bool) -> dict[str, Any] | None:
        if raw.get("pid") not in self.pids:
            self.note(f"service {raw.get('id')} (its product {raw.get('pid')} is not in the catalogue)")
            return None
        service: dict[str, Any] = {"id": raw["id"], "client": client_id, "pid": raw["pid"]}
        domain, username = str(raw.get("domain") or ""), str(raw.get("username") or "")
        _put(service, "domain", domain if keep or not domain else f"service{raw['id']}.example.com")
        _put(service, "status", raw.get("status") if raw.get("status") in _SERVICE_STATUSES else None)
        cycle = system_cycle(str(raw.get("billingcycle") or ""))
        _put(service, "billingcycle", cycle if cycle in CYCLE_DISPLAY else None)
        for key in ("regdate", "nextduedate"):
            _put(service, key, _date(raw.get(key)))
        for key in ("firstpaymentamount", "recurringamount"):
            _put(service, key, _text(raw, key))
        _put(service, "paymentmethod", raw.get("paymentmethod"))
        _put(service, "username", username if keep or not username else f"user{raw['id']}")
        _put(service, "dedicatedip", raw.get("dedicatedip"))
        _put(service, "qty", max(intval(raw.get("qty", 1)), 1))
        return service

    def _domain(self, raw: dict[str, Any], client_id: int, keep: bool) -> dict[str, Any] | None:
        name = str(raw.get("domainname") or raw.get("domain") or "")
        if not name:
            self.note(f"domain {raw.get('id')} (it has no name)")
            return None
        fake = f"domain{raw['id']}.{name.partition('.')[2] or 'com'}"
        domain: dict[str, Any] = {"id": raw["id"], "client": client_id, "domain": name if keep else fake}
        _put(domain, "type", raw.get("regtype") if raw.get("regtype") in ("Register", "Transfer") else None)
        _put(domain, "status", raw.get("status") if raw.get("status") in _DOMAIN_STATUSES else None)
        _put(domain, "registrar", raw.get("registrar"))
        for key in ("regdate", "nextduedate", "expirydate"):
            _put(domain, key, _date(raw.get(key)))
        period = intval(raw.get("regperiod", 1))
        _put(domain, "regperiod", period if 1 <= period <= 10 else None)
        _put(domain, "firstpaymentamount", _text(raw, "firstpaymentamount"))
        _put(domain, "amount", _text(raw, "recurringamount"))
        _put(domain, "paymentmethod", raw.get("paymentmethod"))
        domain["addons"] = {key: _flag(raw.get(key)) for key in _DOMAIN_ADDONS}
        return domain


    def _contact(self, raw: dict[str, Any], keep: bool) -> dict[str, Any]:
        contact_id = intval(raw["id"])
        personal = {key: str(raw.get(key) or "") for key in _PERSONAL if key != "notes"}
        if not keep:
            personal = {**_fake_person(contact_id, personal), "email": f"contact{contact_id}@example.com"}
        contact: dict[str, Any] = {"id": contact_id, **{key: value for key, value in personal.items()
                                                       if value or key in ("firstname", "lastname", "email")}}
        country = str(raw.get("country") or "")
        _put(contact, "country", country if re.fullmatch(r"[A-Z]{2}", country) else None)
        for kind in _EMAIL_KINDS:
            contact[f"{kind}emails"] = _flag(raw.get(f"{kind}emails"))
        return contact

    def _invoice(self, listed: dict[str, Any], client_id: int, keep: bool) -> dict[str, Any] | None:
        invoice_id = intval(listed["id"])
        raw = self.upstream.call("GetInvoice", {"invoiceid": invoice_id})
        if raw.get("status") not in _INVOICE_STATUSES:
            self.note(f"invoice {invoice_id} (status {raw.get('status')!r})")
            return None
        invoice: dict[str, Any] = {"id": invoice_id, "client": client_id, "status": raw["status"]}
        for key in ("date", "duedate"):
            _put(invoice, key, _date(raw.get(key)))
        _put(invoice, "datepaid", _time(raw.get("datepaid")))
        _put(invoice, "paymentmethod", raw.get("paymentmethod"))
        notes = str(raw.get("notes") or "")
        _put(invoice, "notes", notes if keep or not notes else f"Notes of invoice {invoice_id}")
        if _amount(raw.get("taxrate")):
            invoice["taxrate"] = str(raw["taxrate"])
        left_out = [key for key in ("credit", "taxrate2") if _amount(raw.get(key))]
        if left_out:
            self.note(f"invoice {invoice_id}'s {', '.join(left_out)}")
        invoice["items"] = [
            {"id": intval(item["id"]), "type": str(item.get("type") or ""),
             "relid": max(intval(item.get("relid", 0)), 0),
             "description": self._message(item.get("description"),
                                          f"Item {item['id']} of invoice {invoice_id}", keep),
             "amount": str(item.get("amount") or "0"), "taxed": _flag(item.get("taxed"))}
            for item in _items(raw, "items", "item")
        ]
        # Its payments are the client's transactions naming it, imported with their own ids.
        invoice["payments"] = []
        return invoice

    def _transactions(self, client_id: int, invoice_ids: set[int]) -> list[dict[str, Any]]:
        """The client's transactions, invoice payments and others: GetTransactions lists all at once."""
        answer = self.upstream.call("GetTransactions", {"clientid": client_id})
        transactions = []
        for raw in _items(answer, "transactions", "transaction"):
            invoice_id, date = intval(raw.get("invoiceid", 0)), _time(raw.get("date"))
            if invoice_id and invoice_id not in invoice_ids:
                self.note(f"transaction {raw.get('id')} (its invoice {invoice_id} is not imported)")
                continue
            if date is None:
                self.note(f"transaction {raw.get('id')} (its date {raw.get('date')!r})")
                continue
            transaction: dict[str, Any] = {"id": intval(raw["id"]), "client": client_id}
            _put(transaction, "invoice", invoice_id or None)
            transaction.update({
                "date": date, "gateway": str(raw.get("gateway") or ""),
                "description": str(raw.get("description") or ""), "transid": str(raw.get("transid") or ""),
            })
            for key in ("amountin", "fees", "amountout"):
                transaction[key] = str(raw.get(key) or "0")
            if intval(raw.get("refundid", 0)):
                self.note(f"transaction {raw['id']}'s refund of transaction {raw['refundid']}")
            transactions.append(transaction)
        return transactions

    def _ticket(self, listed: dict[str, Any], client_id: int, keep: bool) -> dict[str, Any] | None:
        ticket_id, tid = intval(listed["id"]), str(listed.get("tid") or "")
        if intval(listed.get("deptid", 0)) not in self.deptids:
            self.note(f"ticket {ticket_id} (its department {listed.get('deptid')} is not imported)")
            return None
        if listed.get("status") not in _TICKET_STATUSES:
            self.note(f"ticket {ticket_id} (status {listed.get('status')!r})")
            return None
        raw = self.upstream.call("GetTicket", {"ticketid": ticket_id, "repliessort": "ASC"})
        # The first "reply" is the message that opened the ticket.
        opening, *replies = _items(raw, "replies", "reply") or [{}]
        ticket: dict[str, Any] = {"id": ticket_id, "client": client_id, "deptid": intval(listed["deptid"])}
        _put(ticket, "tid", tid if re.fullmatch(r"\S+", tid) else None)
        ticket["subject"] = str(raw.get("subject") or "-") if keep else f"Ticket {ticket_id}"
        ticket["message"] = self._message(opening.get("message"), f"Message 1 of ticket {ticket_id}", keep)
        ticket["status"] = listed["status"]
        if listed.get("priority") in _PRIORITIES:
            ticket["priority"] = listed["priority"]
        else:
            self.note(f"ticket {ticket_id}'s priority {listed.get('priority')!r}")
        _put(ticket, "date", _time(raw.get("date")))
        _put(ticket, "admin", self._staff(raw.get("admin"), keep))
        cc = str(raw.get("cc") or "")
        _put(ticket, "cc", cc if keep or not cc else f"cc{ticket_id}@example.com")
        _put(ticket, "flag", max(intval(raw.get("flag", 0)), 0) or None)
        ticket["replies"] = [
            self._dated({"id": intval(reply["replyid"]), "message": self._message(
                reply.get("message"), f"Message {number} of ticket {ticket_id}", keep)},
                reply, self._staff(reply.get("admin"), keep))
            for number, reply in enumerate(replies, start=2)
        ]
        ticket["notes"] = [
            self._dated({"id": intval(note["noteid"]), "message": self._message(
                note.get("message"), f"Note {number} of ticket {ticket_id}", keep)},
                note, self._staff(note.get("admin"), keep))
            for number, note in enumerate(_items(raw, "notes", "note"), start=1)
        ]
        return ticket

    @staticmethod
    def _message(text: Any, fake: str, keep: bool) -> str:
        return str(text or "") if keep or not text else fake

    @staticmethod
    def _dated(record: dict[str, Any], raw: dict[str, Any], admin: str) -> dict[str, Any]:
        _put(record, "date", _time(raw.get("date")))
        _put(record, "admin", admin)
        return record

    def _staff(self, name: Any, keep: bool) -> str:
        """An admin's name as a reply shows it: made up ("Staff 1" …) unless personal data is kept."""
        text = str(name or "")
        if keep or not text:
            return text
        return self.staff.setdefault(text, f"Staff {len(self.staff) + 1}")

    def _users(self, users: dict[int, dict[str, Any]], keep: bool) -> list[dict[str, Any]]:
        """The users owning or accessing the imported clients. A scenario makes the first user listing a
        client its owner, so owners come before the users who only access their clients."""
        owners = {client_id: user_id for user_id, user in users.items() for client_id in user["owns"]}
        placed: set[int] = set()
        pending = sorted(users)
        imported = []
        while pending:
            user_id = next((uid for uid in pending if all(
                owners.get(client_id, uid) in placed for client_id in users[uid]["accesses"])), pending[0])
            pending.remove(user_id)
            user = users[user_id]
            for client_id in [c for c in user["accesses"] if owners.get(c, user_id) not in placed]:
                self.note(f"user {user_id}'s access to client {client_id} (listed first, it would own it)")
                user["accesses"].remove(client_id)
            placed.add(user_id)
            shaped = self._user(user_id, user["email"], keep)
            if shaped is not None:
                imported.append({**shaped, "clients": user["owns"] + user["accesses"]})
        return imported

    def _user(self, user_id: int, email: str, keep: bool) -> dict[str, Any] | None:
        # GetClientsDetails names a client's users; GetUsers, searched by email, has the rest.
        found = self.upstream.call("GetUsers", {"search": email}) if email else {}
        raw = next((row for row in found.get("users") or [] if isinstance(row, dict)
                    and intval(row.get("id")) == user_id), None)
        if raw is None:
            self.note(f"user {user_id} (GetUsers does not find it)")
            return None
        user: dict[str, Any] = {"id": user_id, "email": str(raw.get("email") or email),
                                "firstname": str(raw.get("firstname") or ""),
                                "lastname": str(raw.get("lastname") or "")}
        if not keep:
            fake = _fake_person(user_id, {"firstname": user["firstname"], "lastname": user["lastname"]})
            user.update(fake, email=f"user{user_id}@example.com")
        _put(user, "datecreated", _time(raw.get("datecreated")))
        return user


def _fake_person(client_id: int, real: dict[str, str]) -> dict[str, str]:
    """Made-up personal details for client ``client_id``, the same on every import; a field that was
    empty stays empty, so the shape of the data survives."""
    fake = {
        "firstname": _FIRST_NAMES[client_id % len(_FIRST_NAMES)],
        "lastname": _LAST_NAMES[client_id // len(_FIRST_NAMES) % len(_LAST_NAMES)],
        "email": f"client{client_id}@example.com",
        "companyname": f"Company {client_id}",
        "address1": f"{client_id} Example Street",
        "address2": "Suite 1",
        "city": "Exampleton",
        "state": "Example State",
        "postcode": f"{client_id % 100000:05d}",
        "phonenumber": f"+1.555{client_id % 10000000:07d}",
        "tax_id": f"TAX{client_id}",
        "notes": "",
    }
    return {key: fake[key] if value else "" for key, value in real.items()}
