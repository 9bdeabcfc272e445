"""Run a simulation and turn it into the report folder: the per-step table, the attribution check (the
components add up to the NAV change net of LP flows; the residual against the gross PnL), the theory check
(gamma + theta against 1/2 Gamma S^2 (realized - implied variance)), activity counts and throughput.

Gross PnL is the sum over components (residual excluded) of the absolute value of each one's run total."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from hedgekeeper.sim.engine import SimConfig, SimRun, Simulation
from hedgekeeper.sim.report import ReportFiles, StepTable, summary_table, write_report
from hedgekeeper.sim.scenarios import Scenario
from hedgekeeper.strategy.types import HedgePolicy

SECONDS_PER_YEAR = 365.0 * 86_400.0


def attribution_check(run: SimRun) -> dict[str, Any]:
    """The identity sum(components) == NAV change - LP flows, and the residual as a fraction of gross PnL."""
    totals: dict[str, float] = {}
    for rec in run.records:
        for k, v in rec.pnl.items():
            totals[k] = totals.get(k, 0.0) + float(v)
    nav_change = run.records[-1].nav - run.records[0].nav
    flows = run.counters.lp_flows
    explained = math.fsum(totals.values())
    gross = math.fsum(abs(v) for k, v in totals.items() if k != "residual")
    residual = totals.get("residual", 0.0)
    return {
        "nav_change": nav_change,
        "lp_net_flows": flows,
        "pnl_total": explained,
        "identity_error": explained - (nav_change - flows),
        "gross_pnl": gross,
        "residual": residual,
        "residual_ratio": abs(residual) / gross if gross > 0 else 0.0,
        "residual_bound": 0.05,
    }


def theory_check(run: SimRun) -> dict[str, Any]:
    """Over each step the book's gamma and theta should earn 1/2 Gamma S^2 (r^2 - sigma_i^2 dt), r the log
    return of the step: the delta-hedged book's variance bet. Compares the sums with the measured components."""
    rs = run.readings
    expected = 0.0
    theta_bs = 0.0
    for a, b in zip(rs[:-1], rs[1:]):
        dt = (b.timestamp - a.timestamp) / SECONDS_PER_YEAR
        r = math.log(b.spot / a.spot)
        expected += 0.5 * a.options_gamma * a.spot**2 * (r * r - a.implied_vol**2 * dt)
        theta_bs += -0.5 * a.options_gamma * a.spot**2 * a.implied_vol**2 * dt
    gamma = sum(float(r.pnl.get("gamma", 0.0)) for r in run.records)
    theta = sum(float(r.pnl.get("theta", 0.0)) for r in run.records)
    ivs = np.array([r.implied_vol for r in rs])
    return {
        "gamma_plus_theta": gamma + theta,
        "expected_from_variance_gap": expected,
        "theta": theta,
        "theta_black_scholes": theta_bs,
        "implied_vol": {"start": float(ivs[0]), "end": float(ivs[-1]), "mean": float(ivs.mean())},
        "mean_book_gamma": float(np.mean([r.options_gamma for r in rs])),
    }


def run_and_report(url: str, project: Any, chain: Any, deployer: Any, scenario: Scenario, policy: HedgePolicy, config: SimConfig,
                   out_dir: Path, on_step: Callable[[int, int], None] | None = None,
                   workdir: Path | None = None) -> tuple[ReportFiles, dict[str, Any], Any]:
    sim = Simulation(url, project, chain, deployer, scenario, policy, config, workdir=workdir)
    run = sim.run(on_step=on_step)
    return report_run(run, scenario, policy, config, out_dir)


def report_run(run: SimRun, scenario: Scenario, policy: HedgePolicy, config: SimConfig, out_dir: Path) -> tuple[ReportFiles, dict[str, Any], Any]:
    table = StepTable.from_records(run.records)
    meta = {
        "scenario": scenario.describe(), "policy": policy.name, "policy_params": dict(vars(policy)), "seed": config.seed,
        "steps": config.steps, "step_seconds": config.step_seconds, "vol_reversion": config.vol_reversion,
        "boards": [{"expiry_days": (b.expiry - run.start) / 86_400.0, "strikes": list(b.strikes)} for b in run.boards],
    }
    extra = {
        "attribution": attribution_check(run),
        "theory": theory_check(run),
        "activity": dict(sorted(run.counts.items())) | {
            "hedge_trades": run.counters.hedge_trades, "transactions": run.transactions, "reverted": run.reverted,
            "keeper_transactions": run.keeper_transactions,
        },
    }
    title = f"{policy.name} on {scenario.name}"
    files, summary = write_report(table, out_dir, title=title, meta=meta, extra=extra)
    perf = {"steps_per_second": (config.steps + 1) / run.run_seconds, "run_seconds": run.run_seconds, "deploy_seconds": run.deploy_seconds,
            "transactions_per_second": run.transactions / run.run_seconds}
    return files, summary | {"performance": perf}, summary_table(summary, title=f"{title} (seed {config.seed})")


def summary_lines(summary: dict[str, Any]) -> list[str]:
    a, t = summary["attribution"], summary["theory"]
    lines = [
        f"attribution: components sum to {a['pnl_total']:+.2f} = NAV change {a['nav_change']:+.2f} - LP flows {a['lp_net_flows']:+.2f} "
        f"(error {a['identity_error']:+.2e}); residual {a['residual']:+.2f} = {a['residual_ratio']:.2%} of gross PnL {a['gross_pnl']:.2f}",
        f"theory: gamma + theta {t['gamma_plus_theta']:+.2f} vs 1/2 Gamma S^2 (realized - implied variance) {t['expected_from_variance_gap']:+.2f}",
    ]
    if "performance" in summary:
        p = summary["performance"]
        lines.append(f"throughput: {p['steps_per_second']:.1f} steps/s, {p['transactions_per_second']:.0f} transactions/s "
                     f"(deploy {p['deploy_seconds']:.1f} s, run {p['run_seconds']:.1f} s)")
    return lines
