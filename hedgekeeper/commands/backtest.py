"""`hedgekeeper backtest`: hedge an option position along many model paths, no chain, and write a report.

The pool writes `--quantity` options (negative: the pool is short) struck at `--strike` (default: at the
money) expiring after `--expiry-days` (default: at the end of the run), prices and hedges them at the
scenario's implied vol, and hedges on a perp with the chosen policy. The report folder holds the
summary over all paths and one path step by step (`--report-path`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from hedgekeeper.model.backtest import SECONDS_PER_YEAR, BacktestError, MarketModel, OptionPosition, run_backtest
from hedgekeeper.model.to_report import path_statistics, step_table
from hedgekeeper.sim.report import summary_table, write_report
from hedgekeeper.sim.scenarios import make_scenario
from hedgekeeper.strategy.policies import ALIASES, PolicyError, make_policy


# What each policy uses when the command line names no value for a parameter.
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "fixed_interval": {"interval_seconds": 3600.0},
    "fixed_band": {"band": 0.5},
    "whalley_wilmott": {"gamma_risk": 0.01, "min_band": 0.1},
}


def parse_params(items: tuple[str, ...]) -> dict[str, Any]:
    """`key=value` pairs; values become numbers where they parse as one."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise PolicyError(f"policy parameter must look like key=value, got {item!r}")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            out[key.strip()] = value.strip()
    return out


@click.command("backtest")
@click.option("--scenario", default="gbm", show_default=True, help="gbm, jump or file.")
@click.option("--price-file", type=click.Path(path_type=Path), default=None, help="CSV/JSON (timestamp, price) rows for --scenario file.")
@click.option("--s0", type=float, default=None, help="Start price, quote per unit [gbm, jump; default 2000].")
@click.option("--realized-vol", type=float, default=None, help="Realized vol per year [gbm, jump].")
@click.option("--implied-vol", type=float, default=None, help="The pool's implied vol per year [default 0.8].")
@click.option("--drift", type=float, default=None, help="Drift per year [gbm, jump; default 0].")
@click.option("--jump-intensity", type=float, default=None, help="Jumps per year [jump].")
@click.option("--jump-mean", type=float, default=None, help="Mean log jump [jump].")
@click.option("--jump-std", type=float, default=None, help="Std of the log jump [jump].")
@click.option("--policy", default="whalley_wilmott", show_default=True, help="fixed_interval, fixed_band or whalley_wilmott.")
@click.option("--param", "params", multiple=True, help="Policy parameter key=value (repeat), e.g. gamma_risk=0.01; unset ones take DEFAULT_PARAMS.")
@click.option("--paths", "n_paths", type=int, default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--steps", "n_steps", type=int, default=168, show_default=True)
@click.option("--step-seconds", type=float, default=3600.0, show_default=True)
@click.option("--expiry-days", type=float, default=None, help="Option expiry from the start [default: end of the run].")
@click.option("--strike", type=float, default=None, help="Strike, quote per unit [default: the start price].")
@click.option("--put", is_flag=True, help="Puts instead of calls.")
@click.option("--quantity", type=float, default=-10.0, show_default=True, help="Options written, units of underlying (- = pool short).")
@click.option("--rate", type=float, default=0.0, show_default=True, help="Interest rate per year.")
@click.option("--cost-rate", type=float, default=0.0005, show_default=True, help="One-way hedge cost, fraction of notional.")
@click.option("--funding-rate", type=float, default=None, help="Perp funding per year, + longs pay [default: --rate].")
@click.option("--premium-fee", type=float, default=0.0, show_default=True, help="Pool's fee, fraction of the premium.")
@click.option("--report-path", type=int, default=0, show_default=True, help="Which path the per-step report follows.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports/backtest"), show_default=True)
def backtest_command(
    scenario: str, price_file: Path | None, s0: float | None, realized_vol: float | None, implied_vol: float | None,
    drift: float | None, jump_intensity: float | None, jump_mean: float | None, jump_std: float | None, policy: str,
    params: tuple[str, ...], n_paths: int, seed: int, n_steps: int, step_seconds: float, expiry_days: float | None,
    strike: float | None, put: bool, quantity: float, rate: float, cost_rate: float, funding_rate: float | None,
    premium_fee: float, report_path: int, out_dir: Path,
) -> None:
    """Backtest a hedging policy on model paths (no chain) and write the report folder."""
    given = {"s0": s0, "realized_vol": realized_vol, "implied_vol": implied_vol, "drift": drift,
             "jump_intensity": jump_intensity, "jump_mean": jump_mean, "jump_std": jump_std}
    scenario_params = {k: v for k, v in given.items() if v is not None}
    if scenario == "file":
        if price_file is None:
            raise BacktestError("--scenario file needs --price-file")
        scenario_params["path"] = str(price_file)
    elif price_file is not None:
        raise BacktestError(f"--price-file is only for --scenario file, not {scenario}")
    sc = make_scenario(scenario, **scenario_params)
    chosen = parse_params(params)
    defaults = DEFAULT_PARAMS.get(ALIASES.get(policy, policy), {})
    hedge_policy = make_policy(policy, **(defaults | chosen))
    if n_paths < 1:
        raise BacktestError(f"--paths must be >= 1, got {n_paths}")
    paths = sc.price_paths(n_steps, step_seconds, seed, n_paths)
    run_seconds = n_steps * step_seconds
    expiry_seconds = run_seconds if expiry_days is None else expiry_days * 86_400.0
    if expiry_seconds < run_seconds * (1 - 1e-12):
        raise BacktestError(f"--expiry-days {expiry_seconds / 86_400:g} ends before the run ({run_seconds / 86_400:g} days)")
    if quantity == 0:
        raise BacktestError("--quantity must not be 0")
    option = OptionPosition(strike=sc.s0 if strike is None else strike, expiry_years=expiry_seconds / SECONDS_PER_YEAR, quantity=quantity, call=not put)
    market = MarketModel(implied_vol=sc.implied_vol, rate=rate, cost_rate=cost_rate, funding_rate=funding_rate, premium_fee=premium_fee)
    if not 0 <= report_path < n_paths:
        raise BacktestError(f"--report-path {report_path} out of range: there are {n_paths} paths")
    result = run_backtest(paths, step_seconds / SECONDS_PER_YEAR, option, market, hedge_policy)
    stats = path_statistics(result)
    meta = {
        "scenario": sc.describe(), "policy": hedge_policy.name, "policy_params": {k: v for k, v in vars(hedge_policy).items()},
        "seed": seed, "step_seconds": step_seconds, "report_path": report_path,
        "option": {"strike": option.strike, "expiry_days": expiry_seconds / 86_400.0, "quantity": quantity, "type": "put" if put else "call"},
        "market": {"rate": rate, "cost_rate": cost_rate, "funding_rate": market.funding, "premium_fee": premium_fee, "capital": result.capital},
    }
    title = f"{hedge_policy.name} on {sc.name}, path {report_path}"
    files, summary = write_report(step_table(result, report_path), out_dir, title=title, meta=meta, extra={"all_paths": stats})
    console = Console()
    console.print(summary_table(summary, title=f"{title} (seed {seed})"))
    console.print(_paths_table(stats))
    console.print(f"report written to {files.folder}")


def _paths_table(stats: dict[str, Any]) -> Table:
    tab = Table(title=f"over {stats['paths']} paths")
    tab.add_column("figure")
    tab.add_column("value", justify="right")
    f = stats["final_pnl"]
    for k in ("mean", "std", "stderr", "p05", "p50", "p95"):
        tab.add_row(f"final PnL {k} (quote)", f"{f[k]:+.4f}")
    for name, v in stats["mean_pnl_by_component"].items():
        tab.add_row(f"mean PnL {name} (quote)", f"{v:+.4f}")
    tab.add_row("mean hedge trades", f"{stats['mean_hedge_trades']:.1f}")
    pps = stats["paths_per_second"]
    tab.add_row("paths per second", f"{pps:.0f}" if pps else "n/a")
    return tab


__all__ = ["backtest_command", "parse_params"]
