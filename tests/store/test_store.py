"""The store: catalog building, record tables, reset, the frozen clock and the seeded random source."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from mockwhmcs.store.models import Order
from mockwhmcs.store.scenario import load_scenario, parse_scenario
from mockwhmcs.store.store import Store
from mockwhmcs.store.tables import Table


@pytest.fixture
def store() -> Store:
    return Store(load_scenario("default"))


def test_every_section_of_the_default_scenario_is_loaded(store: Store) -> None:
    catalog = store.catalog
    assert catalog.settings.whmcs_version == "8.12.1"
    assert [m.module for m in catalog.payment_methods] == ["banktransfer", "mailin", "paypal"]
    assert catalog.admins["admin"].api_access
    assert catalog.credentials["mockwhmcs-identifier"].allowed_actions is None
    assert catalog.products[1].pricing["USD"]["monthly"] == Decimal("5.00")
    assert catalog.addons[1].packages == (1,)
    assert catalog.tlds[".com"].register["USD"] == {1: Decimal("9.95"), 2: Decimal("19.90")}
    assert catalog.promotions["save10"].value == Decimal("10.00")
    assert catalog.servers[1].hostname == "web1.example.com"
    assert catalog.modules["flaky"]["create"] == "Connection to provisioning server timed out"
    assert catalog.registrars["enom"]["register"] == "success"
    assert store.clients.get(2).status == "Closed"
    assert [c.userid for c in store.contacts] == [1]
    assert store.services.get(10).billingcycle == "Monthly"
    assert store.domains.get(20).registrar == "enom"


def test_product_slug_defaults_to_a_slug_of_its_name(store: Store) -> None:
    assert store.catalog.products[2].slug == "flaky-hosting"


def test_allowqty_is_normalised_from_the_scenario_forms() -> None:
    scenario = parse_scenario(
        "product_groups: [{name: G}]\nproducts:\n"
        "  - {gid: 1, name: A, allowqty: 1}\n  - {gid: 1, name: B, allowqty: scaling}\n"
        "  - {gid: 1, name: C}\n"
    )
    products = Store(scenario).catalog.products
    assert [products[i].allowqty for i in (1, 2, 3)] == ["multiple", "scaling", "0"]


def test_credential_roles_match_action_names_loosely() -> None:
    scenario = parse_scenario(
        "admins: [{username: a, password: p}]\n"
        "api_credentials: [{identifier: i, secret: s, admin: a, allowed_actions: [AddOrder, get_orders]}]\n"
    )
    assert Store(scenario).catalog.credentials["i"].allowed_actions == frozenset({"addorder", "getorders"})


def test_admins_keep_their_ids_and_the_others_are_numbered() -> None:
    scenario = parse_scenario(
        "admins: [{username: a, password: p}, {id: 7, username: b, password: p},"
        " {username: c, password: p}]\n"
    )
    assert [admin.id for admin in Store(scenario).catalog.admins.values()] == [1, 7, 2]


def test_reset_restores_exactly_the_scenario_records(store: Store) -> None:
    before = {name: [repr(row) for row in table] for name, table in store.tables().items()}
    store.clients.get(1).status = "Closed"
    store.orders.add(Order(id=store.orders.new_id(), ordernum="1234567890", userid=1, date=store.now()))
    store.services.remove(10)
    store.reset()
    after = {name: [repr(row) for row in table] for name, table in store.tables().items()}
    assert after == before
    assert store.orders.next_id == 1


def test_reset_does_not_share_rows_with_the_baseline(store: Store) -> None:
    store.clients.get(1).firstname = "Changed"
    store.reset()
    store.reset()
    assert store.clients.get(1).firstname == "Ada"


def test_ids_are_never_reused_after_a_delete() -> None:
    table: Table[Order] = Table(("userid",))
    for _ in range(3):
        table.add(Order(id=table.new_id(), ordernum="1", userid=1, date=""))
    table.remove(3)
    assert table.new_id() == 4
    assert [o.id for o in table.where("userid", 1)] == [1, 2]


def test_an_index_finds_rows_by_value_as_they_come_and_go() -> None:
    table: Table[Order] = Table(("userid", "ordernum"))
    for userid, ordernum in ((1, "A"), (2, "B"), (1, "C"), (1, "D")):
        table.add(Order(id=table.new_id(), ordernum=ordernum, userid=userid, date=""))
    twin = table.clone()
    table.remove(3)
    table.remove(2)
    assert [o.id for o in table.where("userid", 1)] == [1, 4]
    assert table.where("userid", 2) == table.where("ordernum", "B") == table.where("ordernum", "C") == []
    assert [o.id for o in table.where("ordernum", "D")] == [4]
    table.remove(1)
    table.add(Order(id=table.new_id(), ordernum="D", userid=1, date=""))
    assert [o.id for o in table.where("userid", 1)] == [4, 5]
    assert [o.id for o in table.where("ordernum", "D")] == [4, 5]
    # A clone's indexes are its own.
    assert [o.id for o in twin.where("userid", 1)] == [1, 3, 4]
    assert [o.id for o in twin.where("ordernum", "B")] == [2]


def test_an_index_counts_and_gives_its_rows_newest_first() -> None:
    table: Table[Order] = Table(("userid",))
    for userid in (1, 2, 1, 1):
        table.add(Order(id=table.new_id(), ordernum="", userid=userid, date=""))
    assert [table.count("userid", userid) for userid in (1, 2, 3)] == [3, 1, 0]
    assert [o.id for o in table.newest_where("userid", 1)] == [4, 3, 1]
    assert [o.id for o in table.newest_where("userid", 2)] == [2]
    assert list(table.newest_where("userid", 3)) == []


def test_equal_amounts_in_rows_share_one_decimal() -> None:
    table: Table[Order] = Table()
    first = table.add(Order(id=1, ordernum="1", userid=1, date="", amount=Decimal("12.50")))
    second = table.add(Order(id=2, ordernum="2", userid=1, date="", amount=Decimal("12.50")))
    assert second.amount is first.amount


def test_adding_a_row_with_an_explicit_id_moves_the_sequence_past_it() -> None:
    table: Table[Order] = Table()
    table.add(Order(id=10, ordernum="1", userid=1, date=""))
    assert table.new_id() == 11


def test_frozen_clock_comes_from_the_scenario_and_resets(store: Store) -> None:
    assert store.now() == "2026-01-15 10:00:00"
    assert store.today() == "2026-01-15"
    store.clock.advance(86400)
    assert store.today() == "2026-01-16"
    store.clock.set(datetime(2027, 3, 1, 12, 0, 0))
    assert store.now() == "2027-03-01 12:00:00"
    store.reset()
    assert store.now() == "2026-01-15 10:00:00"


def test_real_clock_when_the_scenario_sets_no_now() -> None:
    store = Store(parse_scenario("name: live\n"))
    assert not store.clock.frozen
    assert store.now()[:4] == str(datetime.now().year)


def test_random_source_repeats_after_reset(store: Store) -> None:
    first = [store.random.random() for _ in range(3)]
    store.reset()
    assert [store.random.random() for _ in range(3)] == first


def test_a_clients_credit_balance_is_loaded_from_the_scenario() -> None:
    store = Store(parse_scenario("extends: default\nclients:\n  - {id: 1, credit: 12.5}\n"))
    assert store.clients.rows[1].credit == Decimal("12.50")
    assert Store(parse_scenario("extends: default\n")).clients.rows[1].credit == Decimal("0")


def test_a_reset_frees_every_record_created_since() -> None:
    import gc

    from mockwhmcs.actions.registry import Call, find_action, run
    from mockwhmcs.store.models import Invoice, InvoiceItem, Service

    def live() -> dict[type, int]:
        gc.collect()
        kinds = (Order, Service, Invoice, InvoiceItem)
        counts = dict.fromkeys(kinds, 0)
        for obj in gc.get_objects():
            if type(obj) in counts:
                counts[type(obj)] += 1
        return counts

    store = Store(load_scenario("default"))
    before = live()
    entry = find_action("AddOrder")
    assert entry is not None
    order = {"clientid": "1", "pid": {0: "1"}, "billingcycle": {0: "monthly"}, "paymentmethod": "mailin"}
    for _ in range(500):
        run(entry, Call(order, store))
    assert live()[Order] == before[Order] + 500
    store.reset()
    assert live() == before
