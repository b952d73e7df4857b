"""A scenario made from a real WHMCS's catalogue (and, if asked, some of its clients), read through its API.

Only read actions are called. Every answer is mapped back onto the scenario keys (SCENARIOS.md), so
that serving the scenario answers GetProducts, GetTLDPricing, GetCurrencies, GetPaymentMethods and
GetPromotions as the source did. What the API does not tell (product group names, product addons,
servers, admins …) or the scenario cannot hold is named in the file's header instead of guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..actions.catalog import NO_UPGRADE_CONFIG
from ..php import intval
from ..store.pricing import CYCLE_DISPLAY, PRICE_KEYS, RECURRING_CYCLES, system_cycle
from .client import Upstream

# Records asked for per call when paging (GetClients, GetClientsProducts, GetClientsDomains).
PAGE_SIZE = 100

# What the WHMCS API cannot tell, so no import has it; the header and docs/import.md say so.
NOT_IMPORTED = (
    "product group names (the API has none: groups are named 'Group <gid>')",
    "product addons (the API does not list them: promotions' addons get placeholders)",
    "product autosetup, stock, upgrade paths; TLD registrars; servers",
    "admins, API credentials and allowed IPs (the scenario's defaults are used)",
    "client contacts, users, service addons, invoices, tickets, orders",
    "service passwords (never imported), service server ids",
)

_LEFT_OUT = " Not imported: "
# Promotion fields the scenario does not hold, with the value a served scenario shows for them.
_PROMOTION_CONSTANTS = {"requires": "", "requiresexisting": 0, "upgrades": 0,
                        "upgradeconfig": NO_UPGRADE_CONFIG}
_PRODUCT_ENUMS = {"type": ("hostingaccount", "reselleraccount", "server", "other"),
                  "paytype": ("free", "onetime", "recurring")}
_CONFIG_OPTION_TYPES = {"1": "dropdown", "2": "radio", "3": "yesno", "4": "quantity"}
_PRICE_DEFAULTS = {key: "-1.00" if key in RECURRING_CYCLES else "0.00" for key in PRICE_KEYS}
_DATE = re.compile(r"(0000-00-00|\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))")
_TLD = re.compile(r"\.[a-z0-9][a-z0-9.-]*")
_SERVICE_STATUSES = {"Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud", "Completed"}
_DOMAIN_STATUSES = {"Pending", "Pending Registration", "Pending Transfer", "Active", "Grace", "Redemption",
                    "Expired", "Cancelled", "Fraud", "Transferred Away"}
_CLIENT_FLAGS = ("taxexempt", "latefeeoveride", "overideduenotices", "separateinvoices", "disableautocc",
                 "overrideautoclose", "marketing_emails_opt_in")
_PERSONAL = ("firstname", "lastname", "email", "companyname", "address1", "address2", "city", "state",
             "postcode", "phonenumber", "tax_id", "notes")
_DOMAIN_ADDONS = ("dnsmanagement", "emailforwarding", "idprotection")
_FIRST_NAMES = ("Alex", "Blake", "Casey", "Drew", "Ellis", "Frankie", "Gray", "Harper", "Jordan", "Kai")
_LAST_NAMES = ("Archer", "Baker", "Carter", "Dawson", "Ellison", "Fletcher", "Garner", "Hughes", "Irving",
               "Jensen")


def import_scenario(upstream: Upstream, *, clients: int = 0, keep_personal_data: bool = False,
                    progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """The scenario data of the WHMCS behind ``upstream``: its catalogue, and its first ``clients``
    clients with their services and domains. Raises UpstreamError as the first failing call does."""
    reading = _Reading(upstream, progress)
    data = reading.catalogue()
    if clients > 0:
        data.update(reading.clients(clients, keep_personal_data))
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


def _prices(table: Any) -> dict[str, str]:
    """A GetProducts price table as scenario cycle prices: what differs from a left-out key's value."""
    table = table if isinstance(table, dict) else {}
    return {key: str(table[key]) for key in PRICE_KEYS
            if key in table and str(table[key]) != _PRICE_DEFAULTS[key]}


def _date(value: Any) -> str | None:
    text = str(value or "")
    return text if _DATE.fullmatch(text) else None


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
        self.progress = progress
        self.notes: list[str] = []
        # What the catalogue holds, for the clients' records to refer to: product ids, and the
        # source's currency ids -> codes (a client's currency is written by code).
        self.pids: set[int] = set()
        self.currency_codes: dict[int, str] = {}

    def note(self, text: str) -> None:
        self.notes.append(text)
        self.progress(f"not imported: {text}")

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
        }

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
        product["configoptions"] = [self._config_option(option, raw["pid"])
                                    for option in _items(raw, "configoptions", "configoption")]
        return product

    def _config_option(self, raw: dict[str, Any], pid: int) -> dict[str, Any]:
        kind = _CONFIG_OPTION_TYPES.get(str(raw.get("type", "1")), "dropdown")
        if kind == "quantity" and (raw.get("minqty") or raw.get("maxqty")):
            self.note(f"product {pid}'s config option {raw['id']}: its minimum and maximum quantity")
        options = [
            {"id": choice["id"], "name": str(choice.get("name") or ""),
             "pricing": {code: _prices(table) for code, table in (choice.get("pricing") or {}).items()}}
            for choice in _items(raw, "options", "option")
        ]
        return {"id": raw["id"], "name": raw["name"], "type": kind, "options": options}

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
        found: dict[str, list[dict[str, Any]]] = {"clients": [], "services": [], "domains": []}
        for listed in self._pages("GetClients", {}, "clients", "client", wanted, "clients"):
            details = self.upstream.call("GetClientsDetails", {"clientid": listed["id"]})
            # WHMCS answers the details both at the top level and under `client`.
            details = details.get("client") or details
            found["clients"].append(self._client(listed, details, keep_personal_data))
            for raw in self._pages("GetClientsProducts", {"clientid": listed["id"]}, "products", "product"):
                service = self._service(raw, listed["id"], keep_personal_data)
                if service is not None:
                    found["services"].append(service)
            for raw in self._pages("GetClientsDomains", {"clientid": listed["id"]}, "domains", "domain"):
                domain = self._domain(raw, listed["id"], keep_personal_data)
                if domain is not None:
                    found["domains"].append(domain)
        return found

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
