"""Paged list actions cost the page, not the store: GetClients, GetInvoices and GetTickets at growing
store sizes, in-process (the action alone, no HTTP).

    python benchmarks/paging.py [--sizes 1000,10000,100000]

Rows are written straight into the store's tables, as many as each size says, then each action's
first and last page of 25 (and, for GetClients, a search that must look at every client) is timed:
the best of three rounds (each as many calls as fill 0.2 s), in microseconds per call.
"""

from __future__ import annotations

import argparse
import timeit
from decimal import Decimal

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.store.models import Client, Invoice, Ticket
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.store import Store


def fill(store: Store, size: int) -> None:
    """``size`` clients, each with one invoice and one ticket."""
    for number in range(size):
        client = store.clients.add(Client(id=store.clients.new_id(), firstname=f"First{number}",
                                          lastname=f"Last{number}", email=f"c{number}@example.com"))
        store.invoices.add(Invoice(id=store.invoices.new_id(), userid=client.id, date="2026-01-15",
                                   duedate="2026-01-22", total=Decimal("5.00"), subtotal=Decimal("5.00")))
        store.tickets.add(Ticket(id=store.tickets.new_id(), tid=f"{100000 + number}", c="abcdefgh", did=1,
                                 userid=client.id, date="2026-01-15 10:00:00", title="Help", message="Down"))


def per_call_us(store: Store, action: str, params: dict[str, str]) -> float:
    entry = find_action(action)
    assert entry is not None
    call = Call(params, store)
    timer = timeit.Timer(lambda: run(entry, call))
    calls, _ = timer.autorange()
    return min(timer.repeat(repeat=3, number=calls)) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    measures = {
        "GetClients, first page": ("GetClients", lambda size: {"limitnum": "25"}),
        "GetClients, last page": ("GetClients",
                                  lambda size: {"limitnum": "25", "limitstart": str(size - 25)}),
        "GetClients, search (scans every client)": ("GetClients", lambda size: {"search": "nobody"}),
        "GetInvoices, first page": ("GetInvoices", lambda size: {"limitnum": "25"}),
        "GetTickets, first page": ("GetTickets", lambda size: {"limitnum": "25"}),
    }
    results: dict[str, list[float]] = {name: [] for name in measures}
    for size in sizes:
        store = Store(load_scenario("default"))
        fill(store, size)
        for name, (action, params) in measures.items():
            results[name].append(per_call_us(store, action, params(size)))
    print(f"| measure (µs per call) | {' | '.join(f'{size:,} clients' for size in sizes)} |")
    print(f"| --- |{' --- |' * len(sizes)}")
    for name, figures in results.items():
        print(f"| {name} | {' | '.join(f'{figure:,.0f}' for figure in figures)} |")


if __name__ == "__main__":
    main()
