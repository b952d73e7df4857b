"""The ``mockwhmcs`` command: serve, validate, scenarios."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click

from .store.scenario import Scenario, ScenarioError, bundled_scenarios, load_scenario, scenario_warnings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (the banner prints it).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Threads for the control API and dashboard; the WHMCS API is answered without one.")
@click.option("--state-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep the store in this file across restarts (created if missing).")
@click.option("--control-token", envvar="MOCKWHMCS_CONTROL_TOKEN",
              help="Let callers other than loopback use /_mock/ with this token. Prefer the "
                   "MOCKWHMCS_CONTROL_TOKEN variable: other users can read command lines.")
@click.option("--max-body", type=click.IntRange(min=1),
              help="Largest request body accepted, in bytes; default 8 MiB, PHP's post_max_size.")
@click.option("--journal-size", type=click.IntRange(min=1),
              help="Requests the journal keeps; default 10000.")
def serve(scenario_ref: str, host: str, port: int, threads: int, state_file: Path | None,
          control_token: str | None, max_body: int | None, journal_size: int | None) -> None:
    """Serve the WHMCS API at http://HOST:PORT/includes/api.php."""
    from .app import create_app, engine_of
    from .control.journal import DEFAULT_JOURNAL_SIZE
    from .store.persistence import StateFileError
    from .wire.api import DEFAULT_MAX_BODY

    # Before anything is printed: a supervisor may send SIGTERM as soon as it sees the banner.
    signal.signal(signal.SIGTERM, _stop)
    scenario = _load_or_exit(scenario_ref)
    max_body = max_body or DEFAULT_MAX_BODY
    app = create_app(scenario, max_body=max_body, journal_size=journal_size or DEFAULT_JOURNAL_SIZE,
                     control_token=control_token or None)
    engine = engine_of(app)
    if state_file is not None:
        try:
            for warning in engine.keep_state(state_file):
                click.echo(f"mockwhmcs: warning: {warning}", err=True)
        except StateFileError as error:
            click.echo(f"mockwhmcs: {error}", err=True)
            sys.exit(2)
    _warn_if_exposed(host, "/_mock/ answers other machines only " + (
        "with the control token" if control_token else "if started with --control-token"))

    def banner(bound_port: int) -> None:
        base = _base_url(host, bound_port)
        click.echo(f"mockwhmcs: WHMCS API at {base}/includes/api.php")
        click.echo(f"mockwhmcs: scenario {scenario.name} ({scenario.source})")
        credentials = scenario.data["api_credentials"]
        if credentials:
            click.echo(f"mockwhmcs: identifier={credentials[0]['identifier']} "
                       f"secret={credentials[0]['secret']}")
        click.echo(f"mockwhmcs: dashboard at {base}/_mock/ui")
        for warning in scenario_warnings(scenario):
            click.echo(f"mockwhmcs: warning: {warning}", err=True)
        if state_file is not None:
            click.echo(f"mockwhmcs: state kept in {state_file} ({len(engine.store.orders)} orders)")
        click.echo("mockwhmcs: press Ctrl-C to stop")

    _serve_until_stopped(app, host, port, threads, banner)


def _warn_if_exposed(host: str, control: str) -> None:
    """Say so when ``host`` lets other machines in; ``control`` says whether /_mock/ answers them."""
    from .control.guard import is_loopback

    if host != "localhost" and not is_loopback(host):
        click.echo(f"mockwhmcs: warning: listening on {host} exposes the mock to your network; it is a "
                   f"test double, not a hardened service (see SECURITY in the README). {control}", err=True)


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _serve_until_stopped(app: Any, host: str, port: int, threads: int, banner: Callable[[int], None]) -> None:
    """Serve ``app`` until SIGINT or SIGTERM; ``banner`` gets the bound port once it listens."""
    from .server import serve_forever

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
            for warning in scenario_warnings(scenario):
                click.echo(f"{path}: warning: {warning}", err=True)
    sys.exit(1 if failed else 0)


@main.command("scenarios")
def list_scenarios() -> None:
    """List the bundled scenarios."""
    for scenario in bundled_scenarios():
        click.echo(f"{scenario.name:<16} {scenario.description}")


# --- talking to another WHMCS: import, record, compare --------------------------------------------


def upstream_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The credentials of the WHMCS a command reads, from options or the environment (never echoed)."""
    command = click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
                           help="Seconds to wait for each answer.")(command)
    command = click.option("--accesskey", envvar="WHMCS_ACCESSKEY",
                           help="API access key, if the WHMCS needs one [env: WHMCS_ACCESSKEY].")(command)
    command = click.option("--secret", envvar="WHMCS_SECRET", required=True,
                           help="API credential secret [env: WHMCS_SECRET]. Prefer the variable: other "
                                "users can read command lines.")(command)
    return click.option("--identifier", envvar="WHMCS_IDENTIFIER", required=True,
                        help="API credential identifier [env: WHMCS_IDENTIFIER].")(command)


def _upstream_or_exit(url: str, identifier: str, secret: str, accesskey: str | None, timeout: float) -> Any:
    from .upstream.client import Upstream, UpstreamError

    try:
        return Upstream(url, identifier, secret, accesskey=accesskey, timeout=timeout)
    except UpstreamError as error:
        _fail(error)


def _fail(error: Any) -> NoReturn:
    """Say what went wrong with another WHMCS in one line and exit with its code (README: exit codes)."""
    click.echo(f"mockwhmcs: {error}", err=True)
    sys.exit(error.exit_code)


@main.command()
@click.argument("url")
@upstream_options
@click.option("--scenario", "scenario_ref",
              help="Compare with a mock of this scenario (a bundled name or a YAML file), served here.")
@click.option("--mock", "mock_url", help="Compare with the mockwhmcs running at this address instead.")
@click.option("--mock-identifier", default="mockwhmcs-identifier", show_default=True,
              help="API credential identifier of --mock.")
@click.option("--mock-secret", default="mockwhmcs-secret", show_default=True, envvar="MOCKWHMCS_MOCK_SECRET",
              help="API credential secret of --mock [env: MOCKWHMCS_MOCK_SECRET].")
@click.option("--clients", default=5, show_default=True, type=click.IntRange(min=0),
              help="Without --scenario or --mock: clients to import with the catalogue, so that the "
                   "probes of client records have some to read.")
@click.option("--write", is_flag=True,
              help="Also run a write flow (AddOrder, AcceptOrder … DeleteOrder) on both sides: it places and "
                   "deletes a real order. Only for a staging WHMCS.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="The report as text, or as JSON for CI.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of stdout.")
def compare(url: str, identifier: str, secret: str, accesskey: str | None, timeout: float,
            scenario_ref: str | None, mock_url: str | None, mock_identifier: str, mock_secret: str,
            clients: int, write: bool, output_format: str, output: Path | None) -> None:
    """Send the same probes to the WHMCS at URL and to a mock, and report where the answers differ.

    The mock is --scenario served here, or the mockwhmcs at --mock, or (with neither) a mock of the
    scenario imported from URL. Exit 0 with no differences, 1 with some, 3-6 when a side cannot be
    reached or refuses (see the README's exit codes).
    """
    import json
    from contextlib import ExitStack

    from .upstream.client import Upstream, UpstreamError
    from .upstream.compare import check_reachable, imported, served
    from .upstream.compare import compare as run_compare

    if scenario_ref and mock_url:
        raise click.UsageError("give --scenario or --mock, not both")
    real = _upstream_or_exit(url, identifier, secret, accesskey, timeout)
    with ExitStack() as stack:
        try:
            check_reachable(real)
            label = None  # the mock's address
            if mock_url:
                mock = Upstream(mock_url, mock_identifier, mock_secret, timeout=timeout)
            else:
                scenario = (_load_or_exit(scenario_ref) if scenario_ref else imported(
                    real, clients=clients, progress=lambda line: click.echo(f"mockwhmcs: {line}", err=True)))
                mock = stack.enter_context(served(scenario))
                label = f"scenario {scenario.name} ({scenario.source}), served at {mock.url}"
            check_reachable(mock)
            report = run_compare(real, mock, write=write, mock_label=label)
        except UpstreamError as error:
            _fail(error)
    shown = json.dumps(report.to_json(), indent=2) + "\n" if output_format == "json" else report.text()
    if output is None:
        click.echo(shown, nl=False)
    else:
        output.write_text(shown, encoding="utf-8")
    sys.exit(1 if report.differences else 0)


# --- record and replay ----------------------------------------------------------------------------


@main.command()
@click.option("--upstream", "upstream_url", required=True, metavar="URL",
              help="The WHMCS to forward to: its root (https://billing.example.com/) or its API endpoint.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (the banner prints it).")
@click.option("--save", type=click.Path(file_okay=False, path_type=Path),
              help="Write each exchange to this directory as a fixture file (created if missing).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for each answer from the upstream WHMCS.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requests forwarded at the same time.")
def record(upstream_url: str, host: str, port: int, save: Path | None, timeout: float, threads: int) -> None:
    """Forward every API request to another WHMCS and answer with its answer, unchanged.

    Callers send their own credentials, which pass through as they are; the journal (/_mock/) shows
    each exchange with secrets masked.
    """
    from .upstream.client import Upstream, UpstreamError
    from .upstream.record import recording_app
    from .upstream.recordings import RecordingError

    signal.signal(signal.SIGTERM, _stop)
    try:
        upstream = Upstream(upstream_url, "", "", timeout=timeout)
        app = recording_app(upstream, save=save, report=lambda line: click.echo(line, err=True))
    except (UpstreamError, RecordingError) as error:
        click.echo(f"mockwhmcs: {error}", err=True)
        sys.exit(2)

    _warn_if_exposed(host, "/_mock/ answers this machine only.")

    def banner(bound_port: int) -> None:
        base = _base_url(host, bound_port)
        click.echo(f"mockwhmcs: WHMCS API at {base}/includes/api.php")
        click.echo(f"mockwhmcs: recording: every API request goes to {upstream.url}")
        if save is not None:
            click.echo(f"mockwhmcs: each exchange saved in {save}")
        click.echo(f"mockwhmcs: journal at {base}/_mock/requests, dashboard at {base}/_mock/ui")
        click.echo("mockwhmcs: press Ctrl-C to stop")

    _serve_until_stopped(app, host, port, threads, banner)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--scenario", "scenario_ref", default="default", show_default=True,
              help="What answers the requests no recording matches: a bundled scenario name or a path.")
@click.option("--strict", is_flag=True,
              help="Answer a request no recording matches with an error naming the closest recording.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (the banner prints it).")
def replay(directory: Path, scenario_ref: str, strict: bool, host: str, port: int) -> None:
    """Serve the answers recorded in DIRECTORY (by `record --save`) to the requests they answered."""
    from .app import create_app, engine_of
    from .upstream.recordings import RecordingError
    from .upstream.replay import Replay

    signal.signal(signal.SIGTERM, _stop)
    try:
        recorded = Replay.load(directory, strict=strict)
    except RecordingError as error:
        click.echo(f"mockwhmcs: {error}", err=True)
        sys.exit(2)
    scenario = _load_or_exit(scenario_ref)
    app = create_app(scenario)
    engine_of(app).replay = recorded
    _warn_if_exposed(host, "/_mock/ answers this machine only.")

    def banner(bound_port: int) -> None:
        base = _base_url(host, bound_port)
        click.echo(f"mockwhmcs: WHMCS API at {base}/includes/api.php")
        click.echo(f"mockwhmcs: replaying {len(recorded)} recordings from {directory}")
        fallback = f"scenario {scenario.name} ({scenario.source})"
        click.echo(f"mockwhmcs: other requests: {'an error (--strict)' if strict else fallback}")
        click.echo(f"mockwhmcs: dashboard at {base}/_mock/ui")
        click.echo("mockwhmcs: press Ctrl-C to stop")

    _serve_until_stopped(app, host, port, 8, banner)


@main.command("import")
@click.argument("url")
@upstream_options
@click.option("--clients", "client_count", default=0, show_default=True, type=click.IntRange(min=0),
              help="Also import the first N clients with their contacts, users, services, domains, "
                   "invoices, transactions and tickets.")
@click.option("--keep-personal-data", is_flag=True,
              help="Keep clients' names, emails, addresses, domains … as they are (default: made-up values).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the scenario to FILE (whole or not at all); default: standard output.")
def import_command(url: str, identifier: str, secret: str, accesskey: str | None, timeout: float,
                   client_count: int, keep_personal_data: bool, output: Path | None) -> None:
    """Make a scenario from the WHMCS at URL, reading its catalogue through the API (read-only)."""
    import os
    import tempfile
    from datetime import datetime, timezone

    from .upstream.client import UpstreamError
    from .upstream.importer import import_scenario, scenario_yaml, summary

    upstream = _upstream_or_exit(url, identifier, secret, accesskey, timeout)
    try:
        data = import_scenario(upstream, clients=client_count, keep_personal_data=keep_personal_data,
                               progress=lambda line: click.echo(f"mockwhmcs: {line}", err=True))
    except UpstreamError as error:
        _fail(error)
    text = scenario_yaml(data, source=upstream.url, when=datetime.now(timezone.utc))
    if output is None:
        click.echo(text, nl=False)
        return
    # Into a file beside the target, renamed over it once complete: never half a scenario.
    try:
        handle, temporary = tempfile.mkstemp(dir=output.resolve().parent, prefix=f".{output.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, output)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        click.echo(f"mockwhmcs: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(1)
    click.echo(f"mockwhmcs: wrote {output} ({summary(data)})", err=True)
