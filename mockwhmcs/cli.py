"""The ``mockwhmcs`` command: serve, validate, scenarios."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click

from .store.scenario import Scenario, ScenarioError, bundled_scenarios, load_scenario


@click.group()
@click.version_option(package_name="mockwhmcs")
def main() -> None:
    """A faithful, stateful test double of the WHMCS billing API."""


def _load_or_exit(ref: str) -> Scenario:
    try:
        return load_scenario(ref)
    except ScenarioError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


@main.command()
@click.option("--scenario", "scenario_ref", default="default", show_default=True,
              help="A bundled scenario name or a path to a scenario YAML file.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the mock to your network.")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Worker threads; each hanging fault holds one until its client gives up.")
def serve(scenario_ref: str, host: str, port: int, threads: int) -> None:
    """Serve the WHMCS API at http://HOST:PORT/includes/api.php."""
    from .app import create_app
    from .serving import serve_forever

    # Before anything is printed: a supervisor may send SIGTERM as soon as it sees the banner.
    signal.signal(signal.SIGTERM, _stop)
    scenario = _load_or_exit(scenario_ref)
    app = create_app(scenario)

    def banner(bound_port: int) -> None:
        shown_host = f"[{host}]" if ":" in host else host
        click.echo(f"mockwhmcs: WHMCS API at http://{shown_host}:{bound_port}/includes/api.php")
        click.echo(f"mockwhmcs: scenario {scenario.name} ({scenario.source})")
        credentials = scenario.data["api_credentials"]
        if credentials:
            click.echo(f"mockwhmcs: identifier={credentials[0]['identifier']} "
                       f"secret={credentials[0]['secret']}")
        click.echo("mockwhmcs: press Ctrl-C to stop")

    try:
        serve_forever(app, host, port, threads=threads, on_ready=banner)
    except OSError as error:
        click.echo(f"mockwhmcs: cannot listen on {host}:{port}: {error.strerror}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    click.echo("mockwhmcs: stopped")


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files; list every problem as file:line: key: message."""
    failed = False
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            failed = True
            click.echo(str(error), err=True)
        else:
            click.echo(f"{path}: ok ({scenario.name})")
    sys.exit(1 if failed else 0)


@main.command("scenarios")
def list_scenarios() -> None:
    """List the bundled scenarios."""
    for scenario in bundled_scenarios():
        click.echo(f"{scenario.name:<16} {scenario.description}")
