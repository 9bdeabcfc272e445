"""`hedgekeeper run` (the keeper loop) and `hedgekeeper status` (one-shot view of the pool's book)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.live import Live

from hedgekeeper.errors import ConfigError

_common = [
    click.option("--rpc", "rpc_url", default=None, help="Node URL (default from settings: http://127.0.0.1:8545)."),
    click.option("--deployment", type=click.Path(path_type=Path), default=None, help="Deployment file written by `hedgekeeper deploy`."),
    click.option("--config", "config_file", type=click.Path(path_type=Path), default=None, help="Settings file (.toml, .json or .env)."),
]


def _with_common(fn: Any) -> Any:
    for opt in reversed(_common):
        fn = opt(fn)
    return fn


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any] | None:
    if not pairs:
        return None
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--policy-param needs KEY=VALUE, got {pair!r}")
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


@click.command("run")
@_with_common
@click.option("--policy", default=None, help="Hedging policy name (or package.module:Class).")
@click.option("--policy-param", "policy_params", multiple=True, help="Policy parameter KEY=VALUE (repeatable).")
@click.option("--journal", "journal_path", type=click.Path(path_type=Path), default=None, help="SQLite journal path.")
@click.option("--metrics-port", type=int, default=None, help="Serve Prometheus metrics on this port.")
@click.option("--dry-run", is_flag=True, default=None, help="Decide and log, send nothing.")
@click.option("--once", is_flag=True, help="Run one cycle and exit.")
@click.option("--live/--no-live", default=None, help="Live status table (default: when stdout is a terminal).")
@click.option("--json-logs", is_flag=True, help="Log JSON lines instead of key=value.")
def run_command(rpc_url: str | None, deployment: Path | None, config_file: Path | None, policy: str | None,
                policy_params: tuple[str, ...], journal_path: Path | None, metrics_port: int | None,
                dry_run: bool | None, once: bool, live: bool | None, json_logs: bool) -> None:
    """Hedge the options pool on the perp market, and run the other keeper duties."""
    from hedgekeeper.keeper.app import build_keeper
    from hedgekeeper.keeper.logs import configure_logging
    from hedgekeeper.keeper.settings import load_settings
    from hedgekeeper.keeper.status_view import report_table

    configure_logging(json_lines=json_logs)
    settings = load_settings(
        config_file, rpc_url=rpc_url, deployment=deployment, policy=policy, policy_params=_parse_params(policy_params),
        journal_path=journal_path, metrics_port=metrics_port, dry_run=dry_run,
    )
    app = build_keeper(settings)
    try:
        if settings.metrics_port:
            app.keeper.metrics.serve(settings.metrics_port)
        console = Console()
        show_live = sys.stdout.isatty() if live is None else live
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            if show_live and not once:
                with Live(console=console, refresh_per_second=4) as view:
                    app.keeper.run(stop=stop, on_cycle=lambda r: view.update(report_table(r, app.keeper.cycles + 1)))
            else:
                app.keeper.run(once=once, stop=stop)
                if once and app.keeper.last_report is not None:
                    report = app.keeper.last_report
                    console.print(report_table(report, app.keeper.cycles))
        except KeyboardInterrupt:
            pass
    finally:
        app.close()


@click.command("status")
@_with_common
@click.option("--journal", "journal_path", type=click.Path(path_type=Path), default=None, help="SQLite journal to summarise.")
def status_command(rpc_url: str | None, deployment: Path | None, config_file: Path | None, journal_path: Path | None) -> None:
    """Print the pool's book and hedge account once, and the journal's counts when it exists."""
    from hedgekeeper.keeper.app import connect
    from hedgekeeper.keeper.journal import Journal
    from hedgekeeper.keeper.reader import ChainReader
    from hedgekeeper.keeper.settings import load_settings
    from hedgekeeper.keeper.status_view import snapshot_table

    settings = load_settings(config_file, rpc_url=rpc_url, deployment=deployment, journal_path=journal_path)
    ctx = connect(settings)
    quiet = settings.model_copy(update={"duties": settings.duties.model_copy(update={"liquidate_shorts": False, "liquidate_perps": False})})
    snapshot = ChainReader(ctx.rpc, ctx.pool, quiet).read()
    console = Console()
    console.print(snapshot_table(snapshot, title=f"{settings.pool_contract} on chain {ctx.chain_id}"))
    if settings.journal_path.is_file():
        journal = Journal(settings.journal_path)
        try:
            console.print(f"journal {settings.journal_path}: {journal.counts()}")
        finally:
            journal.close()
