"""Billing calls in the state file: numbered parameters (CreateInvoice's itemdescription1 …) are kept,
and a restart replays payments, credit and setups on payment to exactly the same records."""

from __future__ import annotations

from pathlib import Path

from mockwhmcs.store.snapshot import snapshot
from tests.invariants import check_invariants
from tests.store.test_persistence import Server, call, records
from tests.support import TEST_SCENARIOS


def test_a_restart_replays_every_billing_change(tmp_path: Path) -> None:
    server = Server(tmp_path / "state.jsonl", str(TEST_SCENARIOS / "billing.yaml"))
    try:
        engine = server.start()
        created = call(engine, "CreateInvoice", userid="3", itemdescription1="Design", itemamount1="20",
                       itemtaxed1="1", itemdescription={2: "Extra"}, itemamount={2: "5"}, taxrate="10")
        placed = call(engine, "AddOrder", clientid="1", pid={0: "6"}, paymentmethod="mailin")
        call(engine, "AddInvoicePayment", invoiceid=str(placed["invoiceid"]), transid="T1", gateway="mailin")
        call(engine, "ApplyCredit", invoiceid=str(created["invoiceid"]), amount="4")
        call(engine, "AddCredit", clientid="1", description="Goodwill", amount="3")
        call(engine, "AddTransaction", paymentmethod="paypal", userid="1", amountin="9", credit="1")
        call(engine, "UpdateInvoice", invoiceid=str(created["invoiceid"]), newitemdescription={0: "More"},
             newitemamount={0: "1"}, deletelineids={0: "8"})
        before = snapshot(engine.store)
        lines = [r["description"] for r in before["invoiceitems"] if r["invoiceid"] == created["invoiceid"]]
        assert lines == ["Extra", "More"]
        create = records(server.path)[1]
        assert create["params"] == {"userid": "3", "itemdescription1": "Design", "itemamount1": "20",
                                    "itemtaxed1": "1", "itemdescription": {"2": "Extra"},
                                    "itemamount": {"2": "5"}, "taxrate": "10"}

        restarted = server.restart()

        assert snapshot(restarted.store) == before
        check_invariants(restarted.store)
    finally:
        server.stop()
