"""What an order costs, priced the way WHMCS's cart prices it: Decimal only, pure functions of the catalog.

Nothing here reads a request or writes a record: AddOrder turns the request into calls to these
functions, and renewals and addon-only orders reuse the same prices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..php import floatval, intval, truthy
from .models import NO_DATE, ZERO, Addon, ConfigOption, Pricing, Product, Promotion, Tld
from .pricing import CENT, DISABLED, RECURRING_CYCLES, SETUP_FEE_KEYS, to_decimal


@dataclass(frozen=True, slots=True)
class Price:
    """What a service or addon costs in one billing cycle (system form): its setup fee and the price of
    each period."""

    cycle: str
    setup: Decimal = ZERO
    recurring: Decimal = ZERO

    @property
    def first(self) -> Decimal:
        """The first payment: the setup fee on top of the first period."""
        return self.setup + self.recurring

    def __add__(self, other: Price) -> Price:
        return Price(self.cycle, self.setup + other.setup, self.recurring + other.recurring)

    def times(self, units: int) -> Price:
        return self if units == 1 else Price(self.cycle, self.setup * units, self.recurring * units)


@dataclass(frozen=True, slots=True)
class Discount:
    """A promotion's discount on the first payment and on each later period; ``promoid`` is the
    promotion's id (0 when no promotion applies)."""

    first: Decimal = ZERO
    recurring: Decimal = ZERO
    promoid: int = 0


NO_DISCOUNT = Discount()


# --- products and addons --------------------------------------------------------------------------


def product_price(product: Product, currency: str, requested: str | None) -> Price:
    """One unit of ``product`` in the requested cycle (system form), or the cycle WHMCS falls back to."""
    cycle = _pick_cycle(product.pricing, currency, product.paytype, requested)
    return cycle_price(product.pricing, currency, cycle)


def addon_price(addon: Addon, currency: str, service_cycle: str) -> Price:
    """One unit of ``addon`` on a service billed ``service_cycle``.

    An addon billed "recurring" follows its service's cycle; free, onetime or a named cycle pin it.
    """
    pinned = addon.billingcycle or "recurring"
    paytype = pinned if pinned in ("free", "onetime") else "recurring"
    requested = service_cycle if pinned == "recurring" else pinned
    return cycle_price(addon.pricing, currency, _pick_cycle(addon.pricing, currency, paytype, requested))


def _pick_cycle(pricing: Pricing, currency: str, paytype: str, requested: str | None) -> str:
    """The pay type decides for free and one-time items. A recurring cycle without a price (-1) falls
    back, silently, to the first priced cycle from monthly up; with none priced, monthly at 0.00."""
    if paytype in ("free", "onetime"):
        return paytype
    prices = pricing.get(currency, {})
    priced = [cycle for cycle in RECURRING_CYCLES if prices.get(cycle, DISABLED) >= 0]
    if requested in priced:
        return requested
    return priced[0] if priced else "monthly"


def cycle_price(pricing: Pricing, currency: str, cycle: str) -> Price:
    """The price in ``cycle`` exactly (no fallback); a disabled cycle costs 0.00."""
    if cycle == "free":
        return Price(cycle)
    prices = pricing.get(currency, {})
    # WHMCS keeps a one-time price, and its setup fee, in the monthly columns.
    column = "monthly" if cycle == "onetime" else cycle
    return Price(
        cycle,
        setup=max(prices.get(SETUP_FEE_KEYS[column], ZERO), ZERO),
        recurring=max(prices.get(column, DISABLED), ZERO),
    )


# --- configurable options --------------------------------------------------------------------------


def select_config_options(product: Product, requested: Mapping[int | str, Any]) -> dict[int, str]:
    """The value kept for each of the product's configurable options: a choice id for dropdown and
    radio options (the first choice when none or an unknown one is given), 1/0 for yesno, a count for
    quantity. Options the product does not have are dropped, as WHMCS only reads its own."""
    selected: dict[int, str] = {}
    for option in product.configoptions:
        value = requested.get(option.id)
        if option.type in ("dropdown", "radio"):
            choices = [choice.id for choice in option.options]
            chosen = intval(value) if intval(value) in choices else (choices[0] if choices else 0)
            selected[option.id] = str(chosen)
        elif option.type == "yesno":
            selected[option.id] = "1" if truthy(value) else "0"
        else:
            selected[option.id] = str(max(intval(value), 0))
    return selected


def config_options_price(product: Product, selected: Mapping[int, str], currency: str, cycle: str) -> Price:
    """What the selected options add to one unit of the product in ``cycle``."""
    total = Price(cycle)
    for option in product.configoptions:
        if option.options:
            total += _option_price(option, int(selected[option.id]), currency, cycle)
    return total


def _option_price(option: ConfigOption, value: int, currency: str, cycle: str) -> Price:
    if option.type in ("dropdown", "radio"):
        choice = next(choice for choice in option.options if choice.id == value)
        return cycle_price(choice.pricing, currency, cycle)
    # yesno (0 or 1) and quantity options buy units of their first choice.
    return cycle_price(option.options[0].pricing, currency, cycle).times(value)


# --- domains ---------------------------------------------------------------------------------------


def find_tld(tlds: Mapping[str, Tld], domain: str) -> Tld | None:
    """The longest configured TLD ``domain`` ends with (.co.uk before .uk)."""
    labels = domain.strip().lower().split(".")
    for start in range(1, len(labels)):
        tld = tlds.get("." + ".".join(labels[start:]))
        if tld is not None:
            return tld
    return None


def domain_price(prices: Mapping[str, Mapping[int, Decimal]], currency: str, years: int) -> Decimal | None:
    """The price for ``years`` from one of a TLD's tables (register, transfer, renew); None if unpriced."""
    price = prices.get(currency, {}).get(years)
    return price if price is not None and price >= 0 else None


# --- overrides and promotions ----------------------------------------------------------------------

# WHMCS keeps amounts in decimal(16,2) columns and runs MySQL outside strict mode (its system
# requirements say so), where a value out of range is stored as the column's limit.
MAX_AMOUNT = Decimal("99999999999999.99")


def override_amount(value: Any) -> Decimal | None:
    """A price override as PHP reads it with a (float) cast ("12abc" is 12, "1e3" 1000) and WHMCS
    stores it; None when not given. An amount past the column's range, infinity ("1e400") included,
    is stored as the column's limit."""
    if not isinstance(value, str) or value == "":
        return None
    number = floatval(value)
    if math.isinf(number):
        return MAX_AMOUNT if number > 0 else -MAX_AMOUNT
    # The float's shortest text, which is what PHP sends MySQL for it.
    return to_decimal(max(-MAX_AMOUNT, min(Decimal(repr(number)), MAX_AMOUNT)))


def promotion_is_current(promotion: Promotion, today: str, uses: int) -> bool:
    """Started, not expired (both inclusive) and not used up; the cart ignores any other code."""
    started = promotion.startdate == NO_DATE or promotion.startdate <= today
    unexpired = promotion.expires == NO_DATE or today <= promotion.expires
    return started and unexpired and (promotion.maxuses == 0 or uses < promotion.maxuses)


def promotion_discount(promotion: Promotion, price: Price, rate: Decimal) -> Discount:
    """The discount ``promotion`` gives on ``price``; amounts in the default currency convert at ``rate``.

    Percentage takes its share of the setup fee and the price; Fixed Amount takes its value, never more
    than the price; Price Override charges its value instead of the price (setup fee kept); Free Setup
    waives the setup fee. Later periods are discounted only by a recurring promotion.
    """
    value = promotion.value
    if promotion.type == "Percentage":
        first, recurring = _percent(price.first, value), _percent(price.recurring, value)
    elif promotion.type == "Fixed Amount":
        amount = _convert(value, rate)
        first, recurring = min(amount, price.first), min(amount, price.recurring)
    elif promotion.type == "Price Override":
        first = recurring = max(price.recurring - _convert(value, rate), ZERO)
    else:  # Free Setup
        first, recurring = price.setup, ZERO
    recurring = recurring if promotion.recurring and price.cycle in RECURRING_CYCLES else ZERO
    return Discount(first, recurring, promotion.id)


def _percent(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
