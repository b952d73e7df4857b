"""The scenario keys AddOrder reads: settings.behaviour, addons on existing services, configurable
options and the promotion rules."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from mockwhmcs.store.scenario import ScenarioError, parse_scenario
from mockwhmcs.store.store import Store

CATALOG = """\
extends: default
products:
  - id: 1
    configoptions:
      - id: 1
        name: Disk
        type: quantity
        options: [{id: 7, name: GB, pricing: {monthly: 0.25}}]
promotions:
  - {code: MIX, type: Fixed Amount, value: 1, addons: [1], tlds: [.com], cycles: [annually],
     startdate: "2026-01-01", maxuses: 5, uses: 2}
services:
  - id: 10
    addons:
      - {addonid: 1}
      - {addonid: 2, status: Suspended, billingcycle: annually, recurringamount: 29.00}
"""


def store_of(text: str) -> Store:
    return Store(parse_scenario(textwrap.dedent(text), "shop.yaml"))


def test_behaviour_is_real_unless_the_scenario_asks_for_documented() -> None:
    assert store_of("").catalog.settings.behaviour == "real"
    assert store_of("settings: {behaviour: documented}").catalog.settings.behaviour == "documented"


def test_an_unknown_behaviour_is_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("settings: {behaviour: fictional}\n", "shop.yaml")
    assert caught.value.problems == [
        "shop.yaml:1: settings.behaviour: 'fictional' must be one of 'real', 'documented'"
    ]


def test_addons_on_existing_services_are_loaded_numbered_and_priced() -> None:
    store = store_of(CATALOG)
    ssl, backups = store.service_addons
    # Ids are numbered like any other list; a cycle left out is the service's; prices from the catalog.
    assert (ssl.id, ssl.hostingid, ssl.addonid, ssl.userid, ssl.status) == (1, 10, 1, 1, "Active")
    assert (ssl.billingcycle, ssl.recurring, ssl.name) == ("Monthly", Decimal("2.00"), "SSL Certificate")
    assert (backups.id, backups.status, backups.billingcycle, backups.recurring) == (
        2, "Suspended", "Annually", Decimal("29.00"))


def test_a_service_addon_must_name_a_known_addon() -> None:
    text = "extends: default\nservices:\n  - id: 10\n    addons: [{addonid: 99}]\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "shop.yaml")
    assert caught.value.problems == ["shop.yaml:4: services[0].addons[0].addonid: no addon with id 99"]


def test_configurable_options_and_promotion_rules_are_loaded() -> None:
    catalog = store_of(CATALOG).catalog
    (disk,) = catalog.products[1].configoptions
    assert (disk.id, disk.type, disk.options[0].id) == (1, "quantity", 7)
    assert disk.options[0].pricing["USD"]["monthly"] == Decimal("0.25")
    promotion = catalog.promotions["mix"]
    assert (promotion.addons, promotion.tlds, promotion.cycles) == ((1,), (".com",), ("annually",))
    assert (promotion.startdate, promotion.maxuses, promotion.uses) == ("2026-01-01", 5, 2)


def test_a_service_left_without_a_cycle_gets_its_products_first_priced_one() -> None:
    store = store_of("extends: default\nservices:\n  - {id: 11, client: 1, pid: 3, recurringamount: 18}\n")
    service = store.services.rows[11]
    assert (service.billingcycle, service.amount, service.firstpaymentamount) == (
        "Monthly", Decimal("18.00"), Decimal("18.00"))
