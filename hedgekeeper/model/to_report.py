"""Backtest results as report input: one path as a step table, and statistics over all paths."""

from __future__ import annotations

from typing import Any

import numpy as np

from hedgekeeper.model.attribution import COMPONENTS
from hedgekeeper.model.backtest import SECONDS_PER_YEAR, BacktestError, BacktestResult
from hedgekeeper.sim.report import StepTable


def step_table(result: BacktestResult, path: int = 0) -> StepTable:
    """Path `path` of a backtest run with `keep_steps=True`: rows 0..n_steps, row k read at step time k
    (NAV before that time's hedge trade; PnL of the step ending there; row 0 has none). In the model the perp mark and the spot equal the index, nothing is liquidated, and the LP share
    price is 1 + NAV / capital (LP capital in quote, one share per quote at the start)."""
    st = result.steps
    if st is None:
        raise BacktestError("the backtest kept no per-step records (run it with keep_steps=True)")
    if not 0 <= path < result.n_paths:
        raise BacktestError(f"path {path} out of range: the backtest has {result.n_paths} paths")
    n = result.n_steps
    spot = result.spot[path]
    nav = st.nav[path]
    final = st.final_net_delta[path : path + 1]
    cols: dict[str, Any] = {
        "step": np.arange(n + 1), "time": result.times_years * SECONDS_PER_YEAR, "index_price": spot, "mark": spot,
        "spot": spot, "net_delta_before": np.concatenate([st.net_delta_before[path], final]),
        "net_delta_after": np.concatenate([st.net_delta_after[path], final]),
        "hedge_position": np.concatenate([st.hedge_position[path], st.hedge_position[path, -1:]]),
        "nav": nav, "lp_share_price": 1.0 + nav / result.capital,
        "option_liquidations": np.zeros(n + 1), "perp_liquidations": np.zeros(n + 1),
    }
    for c in COMPONENTS:
        cols[f"pnl_{c}"] = np.concatenate([[0.0], st.components[c][path]])
    return StepTable.from_columns(cols)


def path_statistics(result: BacktestResult) -> dict[str, Any]:
    """Distribution of the final PnL over paths, mean PnL by component, hedging activity, speed."""
    pnl = result.final_pnl
    q = np.percentile(pnl, [1, 5, 50, 95, 99])
    return {
        "paths": result.n_paths,
        "steps": result.n_steps,
        "final_pnl": {
            "mean": float(pnl.mean()), "std": float(pnl.std()), "stderr": float(pnl.std() / np.sqrt(pnl.size)),
            "p01": float(q[0]), "p05": float(q[1]), "p50": float(q[2]), "p95": float(q[3]), "p99": float(q[4]),
            "mean_over_capital": float(pnl.mean() / result.capital),
        },
        "mean_pnl_by_component": {c: float(result.totals[c].mean()) for c in COMPONENTS},
        "mean_hedge_trades": float(result.hedge_trades.mean()),
        "mean_hedge_volume": float(result.hedge_volume.mean()),
        "paths_per_second": float(result.n_paths / result.seconds) if result.seconds > 0 else None,
    }
