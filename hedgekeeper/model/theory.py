"""Experiments that compare the backtester with closed forms, shared by the benchmark's "theory" section.

Setting (Derman-Kamal): one short ATM call, S = K = 100, T = 1/12, implied vol 20%, r = 5%, drift = r,
perp funding = r. References use scipy.stats.norm directly, not hedgekeeper.model.black_scholes:

- Derman & Kamal: std of the hedged P&L with N rebalances ~ sqrt(pi / (4N)) x vega x sigma.
- Volatility edge: with drift = r, E[P&L at T] = (BS(sigma_i) - BS(sigma_r)) e^{rT} for any hedge; along
  each path it is ~ sum 1/2 Gamma_i S^2 (sigma_i^2 - sigma_r^2) dt e^{r(T-t)} for the short book.
- Costs: rebalancing every dt costs ~ sum sqrt(2/pi) k sigma S^2 |Gamma| sqrt(dt) (after the first trade).
- Whalley-Wilmott: its (mean cost, hedging-error std) point against the frontier of fixed intervals."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.stats import linregress, norm

from hedgekeeper.model.backtest import SECONDS_PER_YEAR, MarketModel, OptionPosition, run_backtest
from hedgekeeper.model.paths import gbm_paths
from hedgekeeper.strategy.policies import make_policy

S0 = K = 100.0
T, SIGMA, R = 1 / 12, 0.2, 0.05
SHORT_CALL = OptionPosition(strike=K, expiry_years=T, quantity=-1.0)


def _d1(s: Any, tau: Any, vol: float) -> Any:
    return (np.log(s / K) + (R + vol * vol / 2) * tau) / (vol * np.sqrt(tau))


def _call(vol: float) -> float:
    d1 = _d1(S0, T, vol)
    return float(S0 * norm.cdf(d1) - K * np.exp(-R * T) * norm.cdf(d1 - vol * np.sqrt(T)))


def _gamma(s: Any, tau: Any, vol: float) -> Any:
    return norm.pdf(_d1(s, tau, vol)) / (s * vol * np.sqrt(tau))


def derman_kamal_std(n: int) -> float:
    vega = S0 * np.sqrt(T) * norm.pdf(_d1(S0, T, SIGMA))
    return float(np.sqrt(np.pi / (4 * n)) * vega * SIGMA)


def _run(n: int, paths: int, seed: int, *, realized: float = SIGMA, cost: float = 0.0, every: int = 1, policy: Any = None) -> tuple[Any, Any]:
    dt = T / n
    p = gbm_paths(S0, R, realized, dt, n, paths, seed)
    pol = policy or make_policy("fixed_interval", interval_seconds=every * dt * SECONDS_PER_YEAR)
    return p, run_backtest(p, dt, SHORT_CALL, MarketModel(SIGMA, R, cost_rate=cost), pol, keep_steps=False)


def derman_kamal(paths: int, seed: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in (21, 84):
        _, res = _run(n, paths, seed + n)
        out[f"n{n}"] = {"std": float(res.final_pnl.std()), "theory": derman_kamal_std(n), "ratio": float(res.final_pnl.std() / derman_kamal_std(n))}
    ns = np.array([10, 21, 42, 84, 168, 336])
    stds = [float(_run(int(n), paths // 2, seed + 1000 + int(n))[1].final_pnl.std()) for n in ns]
    out["slope_loglog"] = float(linregress(np.log(ns), np.log(stds)).slope)
    out["slope_points"] = {str(int(n)): s for n, s in zip(ns, stds)}
    return out


def vol_edge(paths: int, seed: int = 2) -> dict[str, Any]:
    out: dict[str, Any] = {}
    n = 84
    dt = T / n
    for realized in (0.15, 0.25):
        p, res = _run(n, paths, seed, realized=realized)
        t = np.arange(n) * dt
        s = p[:, :n]
        integral = (-0.5 * _gamma(s, T - t, SIGMA) * s**2 * (realized**2 - SIGMA**2) * dt * np.exp(R * (T - t))).sum(axis=1)
        pnl = res.final_pnl
        out[f"realized_{realized:g}"] = {
            "mean_pnl": float(pnl.mean()), "stderr": float(pnl.std() / np.sqrt(pnl.size)),
            "closed_form": (_call(SIGMA) - _call(realized)) * float(np.exp(R * T)),
            "gamma_integral_mean": float(integral.mean()), "ratio_to_integral": float(pnl.mean() / integral.mean()),
        }
    return out


def hedging_costs(paths: int, seed: int = 3, k: float = 0.002) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in (21, 84):
        dt = T / n
        p, res = _run(n, paths, seed + n, cost=k)
        initial = k * S0 * float(norm.cdf(_d1(S0, T, SIGMA)))
        measured = float(-res.totals["hedge_cost"].mean() - initial)
        t = np.arange(1, n) * dt
        s = p[:, 1:n]
        formula = float((np.sqrt(2 / np.pi) * k * SIGMA * s**2 * _gamma(s, T - t, SIGMA) * np.sqrt(dt)).sum(axis=1).mean())
        out[f"n{n}"] = {"measured": measured, "formula": formula, "ratio": measured / formula}
    return out


def ww_vs_frontier(paths: int, seed: int = 4, k: float = 0.002) -> dict[str, Any]:
    n = 336
    dt = T / n
    p = gbm_paths(S0, R, SIGMA, dt, n, paths, seed)
    market = MarketModel(SIGMA, R, cost_rate=k)

    def point(policy: Any) -> tuple[float, float]:
        res = run_backtest(p, dt, SHORT_CALL, market, policy, keep_steps=False)
        cost = -res.totals["hedge_cost"]
        return float(cost.mean()), float((res.final_pnl + cost).std())

    every = (1, 2, 4, 8, 16, 32, 64)
    frontier = np.array([point(make_policy("fixed_interval", interval_seconds=m * dt * SECONDS_PER_YEAR)) for m in every])
    order = np.argsort(frontier[:, 0])
    ww = {}
    for g in (5.0, 20.0, 100.0):
        cost, err = point(make_policy("whalley_wilmott", gamma_risk=g))
        on = float(np.exp(np.interp(np.log(cost), np.log(frontier[order, 0]), np.log(frontier[order, 1]))))
        ww[f"gamma_risk_{g:g}"] = {"cost": cost, "error_std": err, "frontier_error_std_at_cost": on, "inside": bool(err <= on)}
    return {"frontier": {f"every_{m}_steps": {"cost": c, "error_std": e} for m, (c, e) in zip(every, frontier)}, "whalley_wilmott": ww}


def speed(paths: int, seed: int = 5) -> dict[str, Any]:
    """Paths per second of a 168-step WW backtest, vectorised vs the keeper's scalar `decide` per path."""

    class ScalarOnly:
        def __init__(self, inner: Any) -> None:
            self.inner, self.name = inner, inner.name

        def decide(self, snapshot: Any, state: Any) -> Any:
            return self.inner.decide(snapshot, state)

    pol = make_policy("whalley_wilmott", gamma_risk=20.0)
    n = 168
    _, fast = _run(n, paths, seed, policy=pol)
    few = max(20, paths // 200)
    _, slow = _run(n, few, seed, policy=ScalarOnly(pol))
    return {"steps": n, "vectorised_paths_per_second": paths / fast.seconds, "scalar_paths_per_second": few / slow.seconds,
            "speedup": (paths / fast.seconds) / (few / slow.seconds)}


def run_all(paths: int = 20_000) -> dict[str, Any]:
    started = time.perf_counter()
    out = {
        "paths": paths,
        "derman_kamal": derman_kamal(paths),
        "vol_edge": vol_edge(paths),
        "hedging_costs": hedging_costs(paths),
        "ww_vs_frontier": ww_vs_frontier(paths // 4),
        "speed": speed(paths),
    }
    out["seconds"] = time.perf_counter() - started
    return out
