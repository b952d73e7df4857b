"""WHMCS billing cycles and money: decimal arithmetic only, two places, half up like PHP's round()."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from .models import ZERO, Currency, Invoice, InvoiceItem, Pricing

CENT = Decimal("0.01")
# Exchange rates keep five places, as WHMCS's currency table does ("1.00000").
RATE_PLACES = Decimal("0.00001")
DISABLED = Decimal("-1.00")

# Recurring cycles in the order WHMCS falls back through when a requested one has no price.
RECURRING_CYCLES = ("monthly", "quarterly", "semiannually", "annually", "biennially", "triennially")
SETUP_FEE_KEYS = {
    "monthly": "msetupfee",
    "quarterly": "qsetupfee",
    "semiannually": "ssetupfee",
    "annually": "asetupfee",
    "biennially": "bsetupfee",
    "triennially": "tsetupfee",
}
# The order GetProducts lists price keys in: setup fees first, then cycles.
PRICE_KEYS = (*SETUP_FEE_KEYS.values(), *RECURRING_CYCLES)
CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannually": 6, "annually": 12, "biennially": 24,
                "triennially": 36}

# System cycle name -> the form WHMCS stores on services and shows in the API.
CYCLE_DISPLAY = {
    "free": "Free Account",
    "onetime": "One Time",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "semiannually": "Semi-Annually",
    "annually": "Annually",
    "biennially": "Biennially",
    "triennially": "Triennially",
}
_CYCLE_ALIASES = {"freeaccount": "free", "onetime": "onetime"}


def money(value: Decimal) -> str:
    """A decimal string with two places, the way WHMCS returns every amount."""
    # Read-backs show the same few amounts over and over. The sign is part of the key because
    # -0.00 equals 0.00 but prints differently.
    key = (value, value.is_signed())
    text = _MONEY_TEXT.get(key)
    if text is None:
        text = str(value.quantize(CENT, rounding=ROUND_HALF_UP))
        if len(_MONEY_TEXT) < _MAX_MONEY_TEXTS:
            _MONEY_TEXT[key] = text
    return text


_MONEY_TEXT: dict[tuple[Decimal, bool], str] = {}
_MAX_MONEY_TEXTS = 10_000


def to_decimal(value: Any) -> Decimal:
    """A scenario or request amount as Decimal; raises ValueError on anything that is not a number."""
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return result.quantize(CENT, rounding=ROUND_HALF_UP)


def to_rate(value: Any) -> Decimal:
    """A scenario exchange rate, to WHMCS's five places."""
    return Decimal(str(value).strip()).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def system_cycle(text: str) -> str | None:
    """Normalise a billing cycle as clients send it ("Semi-Annually", "semiannually", "One Time")."""
    key = text.lower()
    if key in CYCLE_DISPLAY:
        return key
    key = re.sub(r"[^a-z]", "", key)
    key = _CYCLE_ALIASES.get(key, key)
    return key if key in CYCLE_DISPLAY else None


def build_pricing(raw: dict[str, dict[str, Any]], currencies: list[Currency]) -> Pricing:
    """Scenario pricing (``{code: cycle map}``, as the loader normalises it) -> twelve keys per currency.

    Cycles left out are disabled (-1.00) and setup fees left out are 0.00 (a one-time price is kept
    in ``monthly``, as WHMCS does). A currency without its own map is converted from the default
    currency at the currency's rate, as WHMCS's price update does.
    """
    default = next(c for c in currencies if c.default)
    tables = {default.code: _full_price_table({})}
    tables.update((code, _full_price_table(prices)) for code, prices in raw.items())
    return per_currency(tables, currencies)


Prices = TypeVar("Prices", str, int)


def per_currency(
    raw: dict[str, dict[Prices, Decimal]], currencies: list[Currency]
) -> dict[str, dict[Prices, Decimal]]:
    """Prices for every currency: a currency the scenario prices itself keeps its own, any other is
    converted from the default currency's at its rate, as WHMCS's price update does (a disabled
    price, -1, stays disabled). Nothing when the default currency has no prices at all."""
    default = next(c for c in currencies if c.default)
    base = raw.get(default.code)
    converted: dict[str, dict[Prices, Decimal]] = {}
    for currency in currencies:
        if currency.code in raw:
            converted[currency.code] = raw[currency.code]
        elif base is not None:
            converted[currency.code] = {
                key: value if value < 0 else (value * currency.rate).quantize(CENT, ROUND_HALF_UP)
                for key, value in base.items()
            }
    return converted


def _full_price_table(cycle_map: dict[str, Any]) -> dict[str, Decimal]:
    table = {key: Decimal("0.00") for key in SETUP_FEE_KEYS.values()}
    table.update({cycle: DISABLED for cycle in RECURRING_CYCLES})
    for key, value in cycle_map.items():
        if key in table:
            table[key] = to_decimal(value)
    return {key: table[key] for key in PRICE_KEYS}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, kept inside the target month (Jan 31 + 1 = Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def invoice_totals(invoice: Invoice, items: list[InvoiceItem]) -> Invoice:
    """Set an invoice's subtotal, taxes and total from its items, its tax rates and the credit applied.

    Each tax is its rate of the taxed items, rounded to the cent; the total is net of the credit, as
    WHMCS shows it (Sub Total, Credit, Total).
    """
    subtotal = sum((item.amount for item in items), ZERO)
    taxed = sum((item.amount for item in items if item.taxed), ZERO)
    invoice.subtotal = subtotal
    invoice.tax = (taxed * invoice.taxrate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    invoice.tax2 = (taxed * invoice.taxrate2 / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    invoice.total = subtotal + invoice.tax + invoice.tax2 - invoice.credit
    return invoice
