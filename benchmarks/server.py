"""A benchmark server process: the mock (optionally holding N orders) or a bare Flask endpoint,
served exactly as ``mockwhmcs serve`` serves (the same server, threads and GC settings).

    python benchmarks/server.py --app mock --orders 10000 --port 0

Prints ``ready PORT`` once it answers, so the benchmark can start measuring.
"""

from __future__ import annotations

import argparse
import sys

from flask import Flask

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import serve_forever

# The order every benchmark places: one product, monthly, the default scenario's first client.
ORDER = {"clientid": "1", "pid": {0: "1"}, "billingcycle": {0: "monthly"}, "paymentmethod": "mailin"}


def bare_app() -> Flask:
    """The smallest Flask endpoint answering at the same path: the stack's own cost."""
    app = Flask("bare")

    @app.route("/includes/api.php", methods=["GET", "POST"])
    def api() -> dict[str, str]:
        return {"result": "success"}

    return app


def mock_app(orders: int) -> Flask:
    """The default scenario holding ``orders`` pending orders, placed through the real AddOrder."""
    app = create_app("default")
    store = engine_of(app).store
    add_order = find_action("AddOrder")
    assert add_order is not None
    for _ in range(orders):
        run(add_order, Call(dict(ORDER), store, ip="127.0.0.1", admin="admin"))
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", choices=("mock", "bare"), default="mock")
    parser.add_argument("--orders", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    app = bare_app() if args.app == "bare" else mock_app(args.orders)

    def ready(port: int) -> None:
        print(f"ready {port}", flush=True)

    try:
        serve_forever(app, "127.0.0.1", args.port, on_ready=ready)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
