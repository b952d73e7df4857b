"""PendingOrder, CancelOrder, FraudOrder and DeleteOrder (FIDELITY §6): messages and effects."""

from __future__ import annotations

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import Seeded, api_error, seed_order


def statuses(seeded: Seeded) -> dict[str, object]:
    return {
        "order": seeded.order.status,
        "services": [s.status for s in seeded.services],
        "addons": [a.status for a in seeded.addons],
        "domains": [d.status for d in seeded.domains],
        "invoice": seeded.invoice.status if seeded.invoice else None,
    }


def full_order(store: Store, status: str = "Pending", invoice_status: str = "Unpaid") -> Seeded:
    return seed_order(store, status=status, pids=(1,), addons=(1,),
                      domains=(("new.com", "Register"), ("moved.com", "Transfer")),
                      invoice_status=invoice_status)


# --- PendingOrder ---------------------------------------------------------------------------------


def test_pending_order_refuses_an_unknown_order(call: CallAction) -> None:
    assert api_error(call, "PendingOrder", orderid="42").message == "Order ID Not Found"


@pytest.mark.parametrize("status", ["Active", "Cancelled", "Fraud", "Pending"])
def test_pending_order_puts_everything_back_to_pending(call: CallAction, store: Store, status: str) -> None:
    seeded = full_order(store, status=status, invoice_status="Cancelled")
    assert call("PendingOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert statuses(seeded) == {
        "order": "Pending", "services": ["Pending"], "addons": ["Pending"],
        "domains": ["Pending", "Pending Transfer"], "invoice": "Unpaid",
    }


@pytest.mark.parametrize("invoice_status", ["Paid", "Unpaid"])
def test_pending_order_only_reopens_a_cancelled_invoice(
    call: CallAction, store: Store, invoice_status: str
) -> None:
    seeded = full_order(store, status="Active", invoice_status=invoice_status)
    call("PendingOrder", orderid=str(seeded.order.id))
    assert seeded.invoice is not None and seeded.invoice.status == invoice_status


# --- CancelOrder ----------------------------------------------------------------------------------


def test_cancel_order_refuses_an_unknown_order(call: CallAction) -> None:
    assert api_error(call, "CancelOrder", orderid="42").message == "Order ID not found or Status not Pending"


def test_cancel_order_reads_orderid_with_phps_integer_cast(call: CallAction, store: Store) -> None:
    # PHP's (int) reads "1e3" as 1000, not as the 1 before the "e": order 1 is not the one named.
    seeded = full_order(store)
    assert api_error(call, "CancelOrder", orderid="1e3").message == "Order ID not found or Status not Pending"
    assert seeded.order.status == "Pending"
    assert call("CancelOrder", orderid=" 1.9e0 ") == {"result": "success"}
    assert seeded.order.status == "Cancelled"


@pytest.mark.parametrize("status", ["Active", "Cancelled", "Fraud"])
def test_cancel_order_refuses_an_order_that_is_not_pending(
    call: CallAction, store: Store, status: str
) -> None:
    seeded = full_order(store, status=status)
    assert api_error(call, "CancelOrder", orderid=str(seeded.order.id)).message == (
        "Order ID not found or Status not Pending"
    )
    assert seeded.order.status == status


def test_cancel_order_cancels_everything_and_the_unpaid_invoice(call: CallAction, store: Store) -> None:
    seeded = full_order(store)
    assert call("CancelOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert statuses(seeded) == {
        "order": "Cancelled", "services": ["Cancelled"], "addons": ["Cancelled"],
        "domains": ["Cancelled", "Cancelled"], "invoice": "Cancelled",
    }


def test_cancel_order_leaves_a_paid_invoice_paid(call: CallAction, store: Store) -> None:
    seeded = full_order(store, invoice_status="Paid")
    call("CancelOrder", orderid=str(seeded.order.id))
    assert seeded.invoice is not None and seeded.invoice.status == "Paid"


def test_cancel_order_works_for_an_order_without_invoice(call: CallAction, store: Store) -> None:
    seeded = full_order(store, invoice_status=None)
    assert call("CancelOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert seeded.order.status == "Cancelled"


@pytest.mark.parametrize("action", ["CancelOrder", "FraudOrder"])
@pytest.mark.parametrize(("cancelsub", "kept"), [("1", ""), ("0", "I-SUBSCRIPTION")])
def test_cancelsub_cancels_the_services_subscriptions(
    call: CallAction, store: Store, action: str, cancelsub: str, kept: str
) -> None:
    seeded = full_order(store)
    seeded.services[0].subscriptionid = "I-SUBSCRIPTION"
    call(action, orderid=str(seeded.order.id), cancelsub=cancelsub)
    assert seeded.services[0].subscriptionid == kept


@pytest.mark.parametrize("noemail", ["1", "0"])
def test_cancel_order_sends_no_email_with_or_without_noemail(
    call: CallAction, store: Store, noemail: str
) -> None:
    seeded = full_order(store)
    assert call("CancelOrder", orderid=str(seeded.order.id), noemail=noemail) == {"result": "success"}
    assert list(store.emails) == []


# --- FraudOrder -----------------------------------------------------------------------------------


def test_fraud_order_refuses_an_unknown_order(call: CallAction) -> None:
    assert api_error(call, "FraudOrder", orderid="42").message == "Order ID Not Found"


@pytest.mark.parametrize("status", ["Pending", "Active", "Cancelled", "Fraud"])
def test_fraud_order_marks_everything_fraud_from_any_status(
    call: CallAction, store: Store, status: str
) -> None:
    seeded = full_order(store, status=status)
    assert call("FraudOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert statuses(seeded) == {
        "order": "Fraud", "services": ["Fraud"], "addons": ["Fraud"], "domains": ["Fraud", "Fraud"],
        "invoice": "Cancelled",
    }


# --- DeleteOrder ----------------------------------------------------------------------------------


def test_delete_order_refuses_an_unknown_order(call: CallAction) -> None:
    assert api_error(call, "DeleteOrder", orderid="42").message == "Order ID not found"


@pytest.mark.parametrize("status", ["Pending", "Active"])
def test_delete_order_refuses_an_order_that_is_not_cancelled_or_fraud(
    call: CallAction, store: Store, status: str
) -> None:
    seeded = full_order(store, status=status)
    assert api_error(call, "DeleteOrder", orderid=str(seeded.order.id)).message == (
        "The order status must be in Cancelled or Fraud to be deleted"
    )
    assert store.orders.get(seeded.order.id) is seeded.order


@pytest.mark.parametrize("status", ["Cancelled", "Fraud"])
def test_delete_order_removes_the_order_and_everything_it_created(
    call: CallAction, store: Store, status: str
) -> None:
    other = full_order(store)
    seeded = full_order(store, status=status)
    assert seeded.invoice is not None
    assert call("DeleteOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert store.orders.get(seeded.order.id) is None
    assert all(store.services.get(s.id) is None for s in seeded.services)
    assert all(store.service_addons.get(a.id) is None for a in seeded.addons)
    assert all(store.domains.get(d.id) is None for d in seeded.domains)
    assert store.invoices.get(seeded.invoice.id) is None
    assert store.invoiceitems.where("invoiceid", seeded.invoice.id) == []
    # The scenario's own records and other orders are untouched.
    assert [o.id for o in store.orders] == [other.order.id]
    assert [s.id for s in store.services] == [10, *(s.id for s in other.services)]
    assert [d.id for d in store.domains] == [20, *(d.id for d in other.domains)]


def test_a_deleted_order_is_gone_for_every_lifecycle_action(call: CallAction, store: Store) -> None:
    seeded = full_order(store, status="Cancelled")
    orderid = str(seeded.order.id)
    call("DeleteOrder", orderid=orderid)
    assert api_error(call, "DeleteOrder", orderid=orderid).message == "Order ID not found"
    assert api_error(call, "PendingOrder", orderid=orderid).message == "Order ID Not Found"
    invoiceid = str(seeded.order.invoiceid)
    assert api_error(call, "GetInvoice", invoiceid=invoiceid).message == "Invoice ID Not Found"


def test_ids_are_not_reused_after_a_delete(call: CallAction, store: Store) -> None:
    seeded = full_order(store, status="Fraud")
    call("DeleteOrder", orderid=str(seeded.order.id))
    assert full_order(store).order.id == seeded.order.id + 1
