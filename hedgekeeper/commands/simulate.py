"""`hedgekeeper simulate`: the protocol on a local chain along a price path, with traders, LPs, liquidators,
an arbitrageur and the hedging keeper, written as a report folder (see README "Reading the report")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hedgekeeper.ape_session import ape_session
from hedgekeeper.commands.backtest import DEFAULT_PARAMS, parse_params
from hedgekeeper.sim.engine import SimConfig, SimulationError
from hedgekeeper.sim.run import run_and_report, summary_lines
from hedgekeeper.sim.scenarios import Scenario, make_scenario
from hedgekeeper.strategy.policies import ALIASES, make_policy
from hedgekeeper.strategy.types import HedgePolicy


def build_scenario(spec: str, realized_vol: float | None, implied_vol: float | None, s0: float | None = None) -> Scenario:
    """gbm, jump or file:PATH, with the vols given (None: the scenario's default)."""
    params: dict[str, Any] = {}
    if spec.startswith("file:"):
        path = spec[len("file:"):]
        if not path:
            raise SimulationError("--scenario file:PATH needs a path after 'file:'")
        if realized_vol is not None:
            raise SimulationError("--realized-vol does not apply to a price file (its path sets the realized vol)")
        if s0 is not None:
            raise SimulationError("--s0 does not apply to a price file")
        params["path"] = path
        name = "file"
    elif spec == "file":
        raise SimulationError("--scenario file needs a path: --scenario file:PATH")
    else:
        name = spec
        if realized_vol is not None:
            params["realized_vol"] = realized_vol
        if s0 is not None:
            params["s0"] = s0
    if implied_vol is not None:
        params["implied_vol"] = implied_vol
    return make_scenario(name, **params)


def build_policy(name: str, params: tuple[str, ...]) -> HedgePolicy:
    chosen = parse_params(params)
    defaults = DEFAULT_PARAMS.get(ALIASES.get(name, name), {})
    return make_policy(name, **(defaults | chosen))  # type: ignore[return-value]


@click.command("simulate")
@click.option("--scenario", default="gbm", show_default=True, help="gbm, jump or file:PATH (CSV/JSON timestamp,price rows).")
@click.option("--steps", type=int, default=96, show_default=True, help="Steps after the start.")
@click.option("--step-seconds", type=int, default=3600, show_default=True, help="Chain seconds per step (>= 300).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--policy", default="whalley_wilmott", show_default=True, help="fixed_interval, fixed_band or whalley_wilmott.")
@click.option("--param", "params", multiple=True, help="Policy parameter key=value (repeat).")
@click.option("--realized-vol", type=float, default=None, help="Realized vol per year of the path [gbm, jump].")
@click.option("--implied-vol", type=float, default=None, help="The pool's starting implied vol per year [default 0.8].")
@click.option("--s0", type=float, default=None, help="Start price, quote per unit [gbm, jump; default 2000].")
@click.option("--vol-reversion", type=float, default=0.05, show_default=True,
              help="Fraction of the gap to realized vol the surface agent closes per step (0: constant implied vol).")
@click.option("--rpc", "rpc_url", default=None, help="Use the anvil at this URL instead of starting one.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports/latest"), show_default=True)
def simulate_command(scenario: str, steps: int, step_seconds: int, seed: int, policy: str, params: tuple[str, ...],
                     realized_vol: float | None, implied_vol: float | None, s0: float | None, vol_reversion: float,
                     rpc_url: str | None, out_dir: Path) -> None:
    """Run the protocol on a local chain along a scenario and write the report folder."""
    sc = build_scenario(scenario, realized_vol, implied_vol, s0)
    hedge_policy = build_policy(policy, params)
    config = SimConfig(steps=steps, step_seconds=float(step_seconds), seed=seed, vol_reversion=vol_reversion)
    config.check()
    sc.price_path(steps, float(step_seconds), seed)  # a short price file fails here, before anything starts
    if out_dir.exists() and not out_dir.is_dir():
        raise SimulationError(f"--out {out_dir} exists and is not a folder")
    console = Console()
    with ape_session(rpc_url) as session:
        console.print(f"chain at {session.url}; deploying and running {steps} steps of {step_seconds} s ({sc.name}, {hedge_policy.name})")
        with Progress(TextColumn("[bold]simulate"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                      transient=False) as progress:
            task = progress.add_task("steps", total=steps + 1)

            def on_step(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            files, summary, table = run_and_report(session.url, session.project, session.chain, session.accounts[0], sc,
                                                   hedge_policy, config, out_dir, on_step=on_step)
    console.print(table)
    for line in summary_lines(summary):
        console.print(line)
    console.print(f"report written to {files.folder}")
