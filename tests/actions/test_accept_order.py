"""AcceptOrder (FIDELITY §5): who may be accepted, the autosetup/sendemail rule, modules and registrars."""

from __future__ import annotations

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error, seed_order

FLAKY_ERROR = "Connection to provisioning server timed out"


def emails(store: Store) -> list[tuple[str, int, bool]]:
    return [(email.template, email.relid, email.sent) for email in store.emails]


# --- which orders ---------------------------------------------------------------------------------


def test_accept_order_refuses_an_unknown_order(call: CallAction) -> None:
    assert api_error(call, "AcceptOrder", orderid="99").message == "Order ID not found or Status not Pending"


def test_accept_order_refuses_a_missing_orderid(call: CallAction) -> None:
    assert api_error(call, "AcceptOrder").message == "Order ID not found or Status not Pending"


@pytest.mark.parametrize("status", ["Active", "Cancelled", "Fraud"])
def test_accept_order_refuses_an_order_that_is_not_pending(
    call: CallAction, store: Store, status: str
) -> None:
    order = seed_order(store, status=status).order
    assert api_error(call, "AcceptOrder", orderid=str(order.id)).message == (
        "Order ID not found or Status not Pending"
    )
    assert order.status == status


def test_accept_order_refuses_an_order_it_already_accepted(call: CallAction, store: Store) -> None:
    order = seed_order(store).order
    assert call("AcceptOrder", orderid=str(order.id)) == {"result": "success"}
    assert api_error(call, "AcceptOrder", orderid=str(order.id)).message == (
        "Order ID not found or Status not Pending"
    )


# --- what accepting does --------------------------------------------------------------------------


def test_accept_order_activates_the_order_its_services_addons_and_domains(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(1,), addons=(1,), domains=(("new.com", "Register"),))
    assert call("AcceptOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert seeded.order.status == "Active"
    assert [s.status for s in seeded.services] == ["Active"]
    assert [a.status for a in seeded.addons] == ["Active"]
    assert [d.status for d in seeded.domains] == ["Active"]
    assert seeded.invoice is not None and seeded.invoice.status == "Unpaid"


def test_accept_order_leaves_items_that_are_not_pending_alone(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1, 1))
    seeded.services[1].status = "Suspended"
    call("AcceptOrder", orderid=str(seeded.order.id), serviceusername="alice")
    assert [(s.status, s.username) for s in seeded.services] == [("Active", "alice"), ("Suspended", "")]


def test_accept_order_applies_server_username_and_password_to_each_pending_service(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(1, 1))
    call("AcceptOrder", orderid=str(seeded.order.id), serverid="1", serviceusername="bob",
         servicepassword="s3cret")
    assert [(s.server, s.username, s.password) for s in seeded.services] == [(1, "bob", "s3cret")] * 2


def test_accept_order_stores_the_username_entity_encoded_and_the_password_as_sent(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store)
    call("AcceptOrder", orderid=str(seeded.order.id), serviceusername="a&b<c>", servicepassword="p&<'\"")
    assert (seeded.services[0].username, seeded.services[0].password) == ("a&amp;b&lt;c&gt;", "p&<'\"")


def test_accept_order_stores_an_unknown_serverid_as_sent(call: CallAction, store: Store) -> None:
    seeded = seed_order(store)
    assert call("AcceptOrder", orderid=str(seeded.order.id), serverid="77") == {"result": "success"}
    assert seeded.services[0].server == 77


def test_accept_order_keeps_service_fields_that_were_not_sent(call: CallAction, store: Store) -> None:
    seeded = seed_order(store)
    seeded.services[0].username = "kept"
    call("AcceptOrder", orderid=str(seeded.order.id), serverid="2")
    assert (seeded.services[0].server, seeded.services[0].username) == (2, "kept")


# --- autosetup and sendemail ----------------------------------------------------------------------


def test_without_optional_parameters_a_product_without_autosetup_is_activated_without_email(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(1,))  # Starter: module cpanel, autosetup ""
    call("AcceptOrder", orderid=str(seeded.order.id))
    service = seeded.services[0]
    assert service.status == "Active"
    assert emails(store) == [("Hosting Account Welcome Email", service.id, False)]
    assert store.emails.rows[1].reason == "AcceptOrder without sendemail"


def test_without_optional_parameters_an_autosetup_product_runs_its_module_and_sends_the_welcome(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(3,))  # VPS Small: solusvm, autosetup on
    assert call("AcceptOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert seeded.services[0].status == "Active"
    assert emails(store) == [("Dedicated/VPS Server Welcome Email", seeded.services[0].id, True)]
    assert [(log.module, log.action, log.serviceid, log.response) for log in store.module_log] == [
        ("solusvm", "create", seeded.services[0].id, "success")]


def test_without_optional_parameters_a_failing_module_answers_its_error_and_leaves_the_order_pending(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(2,))  # Flaky Hosting: module flaky, autosetup on
    assert api_error(call, "AcceptOrder", orderid=str(seeded.order.id)).message == FLAKY_ERROR
    assert seeded.order.status == "Pending"
    assert seeded.services[0].status == "Pending"
    assert emails(store) == []
    assert [(log.module, log.action, log.response) for log in store.module_log] == [
        ("flaky", "create", FLAKY_ERROR)]


def test_any_optional_parameter_turns_autosetup_and_sendemail_off(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(2,))
    # registrar has nothing to do with services, yet sending it means the module is not run.
    assert call("AcceptOrder", orderid=str(seeded.order.id), registrar="enom") == {"result": "success"}
    assert seeded.services[0].status == "Active"
    assert emails(store) == [("Hosting Account Welcome Email", seeded.services[0].id, False)]


def test_an_empty_optional_parameter_still_counts_as_sent(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(2,))
    assert call("AcceptOrder", orderid=str(seeded.order.id), serverid="") == {"result": "success"}
    assert seeded.services[0].status == "Active"


@pytest.mark.parametrize("value", ["1", "true", "False", "false", "no"])
def test_autosetup_uses_php_truthiness(call: CallAction, store: Store, value: str) -> None:
    seeded = seed_order(store, pids=(2,))
    error = api_error(call, "AcceptOrder", orderid=str(seeded.order.id), autosetup=value)
    assert error.message == FLAKY_ERROR


@pytest.mark.parametrize("value", ["0", ""])
def test_autosetup_false_skips_the_module(call: CallAction, store: Store, value: str) -> None:
    seeded = seed_order(store, pids=(2,))
    assert call("AcceptOrder", orderid=str(seeded.order.id), autosetup=value) == {"result": "success"}
    assert seeded.services[0].status == "Active"


def test_sendemail_given_alone_sends_the_welcome_without_running_the_module(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(2,))
    assert call("AcceptOrder", orderid=str(seeded.order.id), sendemail="1") == {"result": "success"}
    assert emails(store) == [("Hosting Account Welcome Email", seeded.services[0].id, True)]


def test_autosetup_on_a_product_without_module_activates_directly(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(5,))  # Website Setup: no module
    assert call("AcceptOrder", orderid=str(seeded.order.id), autosetup="1", sendemail="1") == {
        "result": "success"
    }
    assert emails(store) == [("Other Product/Service Welcome Email", seeded.services[0].id, True)]


# --- collected failures ---------------------------------------------------------------------------


def test_failures_are_joined_and_successful_services_stay_active(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1, 2, 2, 3))
    assert api_error(call, "AcceptOrder", orderid=str(seeded.order.id)).message == (
        f"{FLAKY_ERROR}, {FLAKY_ERROR}"
    )
    assert seeded.order.status == "Pending"
    assert [s.status for s in seeded.services] == ["Active", "Pending", "Pending", "Active"]


def test_accepting_again_retries_only_what_is_still_pending(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(3, 2))
    api_error(call, "AcceptOrder", orderid=str(seeded.order.id))
    assert call("AcceptOrder", orderid=str(seeded.order.id), autosetup="0") == {"result": "success"}
    assert seeded.order.status == "Active"
    assert [e.relid for e in store.emails] == [s.id for s in seeded.services]


# --- domains --------------------------------------------------------------------------------------


def test_registrar_is_stored_without_sendregistrar_and_the_domain_activates(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"), ("b.com", "Transfer")))
    call("AcceptOrder", orderid=str(seeded.order.id), registrar="enom")
    assert [(d.registrar, d.status) for d in seeded.domains] == [("enom", "Active"), ("enom", "Active")]
    assert emails(store) == []


def test_sendregistrar_registers_and_transfers_through_the_registrar(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"), ("b.com", "Transfer")))
    assert call("AcceptOrder", orderid=str(seeded.order.id), registrar="enom", sendregistrar="1",
                sendemail="1") == {"result": "success"}
    assert [d.status for d in seeded.domains] == ["Active", "Pending Transfer"]
    assert emails(store) == [
        ("Domain Registration Confirmation", seeded.domains[0].id, True),
        ("Domain Transfer Initiated", seeded.domains[1].id, True),
    ]


def test_sendregistrar_uses_the_registrar_the_domain_already_has(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"),))
    seeded.domains[0].registrar = "enom"
    call("AcceptOrder", orderid=str(seeded.order.id), sendregistrar="1")
    assert seeded.domains[0].status == "Active"
    assert emails(store) == [("Domain Registration Confirmation", seeded.domains[0].id, False)]


def test_sendregistrar_without_any_registrar_activates_the_domain(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"),))
    call("AcceptOrder", orderid=str(seeded.order.id), sendregistrar="1")
    assert seeded.domains[0].status == "Active"
