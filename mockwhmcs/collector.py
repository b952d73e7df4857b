"""Garbage collection for the long-running server: no pass ever rescans the whole store.

A server's heap is mostly records and journal entries: they live until a reset, and hold no reference
cycles (tests/test_collector.py), so reference counting frees them and the cyclic collector has
nothing to find among them. Yet Python's collector rescans every object it tracks on each full pass,
and with a growing store those passes grow into pauses of tens, then hundreds of milliseconds: the
tail latency a load test sees.

So once serving, whatever survives a pass of the middle generation is frozen (moved where no pass
looks; gc.freeze is a constant-time list splice), and young garbage is still collected as usual. A
cycle that was still in use when it was frozen is not collected until a reset, when the store is small
again and one full pass is cheap. Only ``mockwhmcs serve`` settles the collector: a test process
running the mock in-process keeps Python's defaults.
"""

from __future__ import annotations

import gc

_serving = False
# Objects frozen just after the last full collection: the server itself and the scenario's records.
_frozen_after_collection = 0
# A reset collects the frozen objects once they have grown this much beyond that (1.25: a quarter).
_REGROWTH = 1.25


def settle_for_serving() -> None:
    """Freeze everything loaded so far and, from now on, each collection's survivors."""
    global _serving, _frozen_after_collection
    # No full collection first: start-up leaves next to no garbage, and the pass costs start-up time.
    gc.freeze()
    _serving, _frozen_after_collection = True, gc.get_freeze_count()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] >= 1:
        gc.freeze()


def after_reset() -> None:
    """The store just let go of its records: collect the frozen cycles if enough have piled up."""
    global _frozen_after_collection
    if _serving and gc.get_freeze_count() > _frozen_after_collection * _REGROWTH:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _frozen_after_collection = gc.get_freeze_count()
