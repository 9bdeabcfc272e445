"""Numpy backtester: one option position hedged on a perp by a hedging policy, over many paths at once.

The pool writes `quantity` options (negative = the pool is short) at time 0 at the Black-Scholes price at
the implied vol, plus a fee (`premium_fee`, a fraction of the premium paid by the counterparty). At the
start of each step the book is read (greeks at the implied vol), the policy decides, and the hedge is
traded at the spot with a one-way proportional cost `cost_rate` x |size| x spot. Over the step the perp
is marked to market (mark = spot), pays funding (`funding_rate` per year of notional; + means longs pay,
so a long hedge pays), and cash earns `rate`. At expiry the option is worth its intrinsic value. With
`funding_rate == rate` the perp hedge costs exactly what a spot hedge financed at `rate` would.

Policies with `decide_many` are called once per step for all paths; others are called path by path
with the same `BookSnapshot`/`HedgeState` the keeper passes."""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.model import black_scholes as bs
from hedgekeeper.model.attribution import COMPONENTS, attribute_step
from hedgekeeper.strategy.policies import BatchOrders, BookBatch
from hedgekeeper.strategy.types import HedgeState

FloatArray = NDArray[np.float64]
SECONDS_PER_YEAR = 365.0 * 86_400.0


class BacktestError(HedgekeeperError):
    """Backtest inputs are inconsistent."""


@dataclass(frozen=True)
class OptionPosition:
    strike: float
    expiry_years: float
    quantity: float  # units of underlying; negative = the pool is short
    call: bool = True


@dataclass(frozen=True)
class MarketModel:
    implied_vol: float  # per year; the vol the pool prices and hedges at
    rate: float = 0.0  # per year
    cost_rate: float = 0.0  # one-way fraction of notional per hedge trade
    funding_rate: float | None = None  # per year, + longs pay; None = equal to `rate`
    premium_fee: float = 0.0  # fraction of the premium charged on top by the pool
    capital: float | None = None  # LP capital backing the book (for the share price); None = |quantity| x S0

    @property
    def funding(self) -> float:
        return self.rate if self.funding_rate is None else self.funding_rate


@dataclass
class StepArrays:
    """Per-step records, arrays of shape (n_paths, n_steps) unless noted."""

    net_delta_before: FloatArray
    net_delta_after: FloatArray
    hedge_position: FloatArray  # after the step's trade
    trade_size: FloatArray
    nav: FloatArray  # (n_paths, n_steps + 1): before each step's trades, then at the end
    implied_vol: FloatArray  # (n_paths, n_steps + 1)
    components: dict[str, FloatArray]  # COMPONENTS and "total"
    final_net_delta: FloatArray  # (n_paths,) options (at expiry: exercise indicator) + hedge at the end


@dataclass
class BacktestResult:
    times_years: FloatArray  # (n_steps + 1,)
    spot: FloatArray  # (n_paths, n_steps + 1)
    final_pnl: FloatArray  # (n_paths,), NAV at the end (money at the end date)
    totals: dict[str, FloatArray]  # component -> (n_paths,) summed over steps
    hedge_trades: FloatArray  # (n_paths,) number of hedge trades
    hedge_volume: FloatArray  # (n_paths,) traded size, units of underlying
    capital: float
    policy_name: str
    seconds: float  # wall time of the run (for the paths/second figure)
    steps: StepArrays | None = field(default=None)

    @property
    def n_paths(self) -> int:
        return int(self.spot.shape[0])

    @property
    def n_steps(self) -> int:
        return int(self.spot.shape[1] - 1)


def _decide(policy: Any, batch: BookBatch, last: FloatArray) -> BatchOrders:
    if hasattr(policy, "decide_many"):
        return policy.decide_many(batch, last)  # type: ignore[no-any-return]
    n = batch.options_delta.shape[0]
    trade = np.zeros(n, dtype=bool)
    size = np.zeros(n)
    target = batch.net_delta.copy()
    for i in range(n):
        order = policy.decide(batch.snapshot(i), HedgeState(last_hedge_timestamp=float(last[i])))
        if order is not None:
            trade[i], size[i], target[i] = True, order.size_delta, order.target_net_delta
    return BatchOrders(trade=trade, size_delta=size, target_net_delta=target)


def run_backtest(
    paths: FloatArray,
    dt_years: float,
    option: OptionPosition,
    market: MarketModel,
    policy: Any,
    *,
    implied_vol_path: FloatArray | None = None,
    keep_steps: bool = True,
) -> BacktestResult:
    """Hedge `option` along every row of `paths` (shape (n_paths, n_steps + 1), step `dt_years`).

    `implied_vol_path` (shape (n_steps + 1,) or (n_paths, n_steps + 1)) overrides the constant
    `market.implied_vol` for pricing and hedging, which exercises the vega component."""
    paths = np.asarray(paths, dtype=float)
    if paths.ndim != 2 or paths.shape[1] < 2:
        raise BacktestError(f"paths must have shape (n_paths, n_steps + 1) with n_steps >= 1, got {paths.shape}")
    if not np.all(np.isfinite(paths)) or np.any(paths <= 0):
        raise BacktestError("paths must hold positive finite prices")
    n_paths, n_steps = paths.shape[0], paths.shape[1] - 1
    if not (dt_years > 0 and np.isfinite(dt_years)):
        raise BacktestError(f"dt_years must be > 0, got {dt_years}")
    if n_steps * dt_years > option.expiry_years * (1 + 1e-9):
        raise BacktestError(f"{n_steps} steps of {dt_years:g} years run past the option's expiry at {option.expiry_years:g} years")
    if option.strike <= 0 or option.expiry_years <= 0:
        raise BacktestError(f"option strike and expiry must be > 0, got {option.strike}, {option.expiry_years}")
    if market.implied_vol <= 0 or market.cost_rate < 0 or market.premium_fee < 0:
        raise BacktestError("implied_vol must be > 0 and cost_rate, premium_fee >= 0")
    if implied_vol_path is None:
        iv = np.full((n_paths, n_steps + 1), market.implied_vol)
    else:
        iv = np.broadcast_to(np.asarray(implied_vol_path, dtype=float), (n_paths, n_steps + 1))
        if np.any(~np.isfinite(iv)) or np.any(iv <= 0):
            raise BacktestError("implied_vol_path must hold positive finite vols")

    started = _time.perf_counter()
    q, r, k = option.quantity, market.rate, market.cost_rate
    f_year = market.funding
    times = np.arange(n_steps + 1) * dt_years
    capital = market.capital if market.capital is not None else abs(q) * float(paths[0, 0])
    growth = np.expm1(r * dt_years)

    cash = np.zeros(n_paths)
    hedge = np.zeros(n_paths)
    last = np.full(n_paths, -np.inf)
    written = False
    totals = {c: np.zeros(n_paths) for c in (*COMPONENTS, "total")}
    trades = np.zeros(n_paths)
    volume = np.zeros(n_paths)
    if keep_steps:
        rec = StepArrays(
            net_delta_before=np.zeros((n_paths, n_steps)), net_delta_after=np.zeros((n_paths, n_steps)),
            hedge_position=np.zeros((n_paths, n_steps)), trade_size=np.zeros((n_paths, n_steps)),
            nav=np.zeros((n_paths, n_steps + 1)), implied_vol=np.array(iv),
            components={c: np.zeros((n_paths, n_steps)) for c in (*COMPONENTS, "total")},
            final_net_delta=np.zeros(n_paths),
        )
    nav_before = np.zeros(n_paths)
    g = bs.greeks(paths[:, 0], option.strike, option.expiry_years, iv[:, 0], r, call=option.call)
    for step in range(n_steps):
        s = paths[:, step]
        tau = option.expiry_years - times[step]
        premium = np.zeros(n_paths)
        if not written:  # write the option at the start: cash in, liability at model value
            cash += -q * g.price + market.premium_fee * abs(q) * g.price
            premium = market.premium_fee * abs(q) * g.price
            written = True
        d, gam, veg, th = q * g.delta, q * g.gamma, q * g.vega, q * g.theta
        batch = BookBatch(
            timestamp=np.full(n_paths, times[step] * SECONDS_PER_YEAR), spot=s, options_delta=d, options_gamma=gam,
            hedge_size=hedge, time_to_expiry_years=np.full(n_paths, tau), rate=np.full(n_paths, r),
            cost_rate=np.full(n_paths, k), funding_rate_per_day=np.full(n_paths, f_year / 365.0),
        )
        net_before = d + hedge
        orders = _decide(policy, batch, last)
        size = orders.size_delta
        hedge = hedge + size
        cost = k * np.abs(size) * s
        cash -= cost
        last = np.where(orders.trade, times[step] * SECONDS_PER_YEAR, last)
        trades += orders.trade
        volume += np.abs(size)

        s1 = paths[:, step + 1]
        carry = cash * growth
        funding = -hedge * f_year * s * dt_years
        cash = cash + carry + funding + hedge * (s1 - s)
        g1 = bs.greeks(s1, option.strike, option.expiry_years - times[step + 1], iv[:, step + 1], r, call=option.call)
        nav_after = cash + q * g1.price
        parts = attribute_step(
            nav_before=nav_before, nav_after=nav_after, spot_before=s, spot_after=s1, vol_before=iv[:, step],
            vol_after=iv[:, step + 1], dt_years=dt_years, options_delta=d, options_gamma=gam, options_vega=veg,
            options_theta=th, hedge_size=hedge, premium=premium, hedge_cost=-cost, funding=funding, carry=carry,
        )
        for c, v in parts.items():
            totals[c] += v
        if keep_steps:
            rec.net_delta_before[:, step] = net_before
            rec.net_delta_after[:, step] = d + hedge
            rec.hedge_position[:, step] = hedge
            rec.trade_size[:, step] = size
            rec.nav[:, step] = nav_before
            for c, v in parts.items():
                rec.components[c][:, step] = v
        nav_before = nav_after
        g = g1
    if keep_steps:
        rec.nav[:, n_steps] = nav_before
        rec.final_net_delta[:] = q * g.delta + hedge
    return BacktestResult(
        times_years=times, spot=paths, final_pnl=nav_before, totals=totals, hedge_trades=trades, hedge_volume=volume,
        capital=capital, policy_name=str(getattr(policy, "name", type(policy).__name__)),
        seconds=_time.perf_counter() - started, steps=rec if keep_steps else None,
    )
