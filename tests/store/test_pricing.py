"""Money and billing cycles the way WHMCS stores and shows them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockwhmcs.store.models import Currency
from mockwhmcs.store.pricing import DISABLED, PRICE_KEYS, build_pricing, money, system_cycle, to_decimal

USD = Currency(1, "USD", "$", " USD", default=True)
EUR = Currency(2, "EUR", "€", " EUR", rate=Decimal("0.90"))


def test_money_is_a_two_place_decimal_string_rounded_half_up() -> None:
    assert money(Decimal("8")) == "8.00"
    assert money(Decimal("0.125")) == "0.13"
    assert money(Decimal("-1")) == "-1.00"


def test_money_tells_equal_amounts_apart_only_by_sign() -> None:
    # Amounts are remembered by value: 5.0 and 5.00 are one amount, but -0.00 prints its sign.
    assert [money(Decimal(text)) for text in ("5.0", "5.00", "0.00", "-0.00", "0")] == [
        "5.00", "5.00", "0.00", "-0.00", "0.00",
    ]


def test_to_decimal_refuses_what_is_not_a_number() -> None:
    assert to_decimal("9.95") == Decimal("9.95")
    assert to_decimal(5) == Decimal("5.00")
    for bad in ("five", "nan", "inf", ""):
        with pytest.raises(ValueError):
            to_decimal(bad)


@pytest.mark.parametrize(
    ("given", "system"),
    [("monthly", "monthly"), ("Monthly", "monthly"), ("Semi-Annually", "semiannually"),
     ("semiannually", "semiannually"), ("One Time", "onetime"), ("onetime", "onetime"),
     ("Free Account", "free"), ("free", "free"), ("weekly", None), ("", None)],
)
def test_billing_cycles_are_read_in_every_form_clients_send(given: str, system: str | None) -> None:
    assert system_cycle(given) == system


def test_cycles_left_out_are_disabled_and_setup_fees_zero() -> None:
    table = build_pricing({"USD": {"monthly": 5, "msetupfee": 1}}, [USD])["USD"]
    assert list(table) == list(PRICE_KEYS)
    assert table["monthly"] == Decimal("5.00")
    assert table["msetupfee"] == Decimal("1.00")
    assert table["quarterly"] == DISABLED
    assert table["qsetupfee"] == Decimal("0.00")


def test_pricing_per_currency_and_conversion_for_a_currency_without_its_own() -> None:
    per_currency = build_pricing({"USD": {"monthly": 10}, "EUR": {"monthly": 8}}, [USD, EUR])
    assert per_currency["EUR"]["monthly"] == Decimal("8.00")
    converted = build_pricing({"USD": {"monthly": 10}}, [USD, EUR])
    assert converted["EUR"]["monthly"] == Decimal("9.00")
    assert converted["EUR"]["annually"] == DISABLED



def test_an_unpriced_product_has_every_cycle_disabled() -> None:
    table = build_pricing({}, [USD])["USD"]
    assert all(table[cycle] == DISABLED for cycle in ("monthly", "annually"))
