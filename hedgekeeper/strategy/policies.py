"""Hedging policies: pure decisions, no I/O. Select one by name with `make_policy(name, **params)`.

Every policy decides on one `BookSnapshot` with `decide` (what the keeper calls) and on a batch of
books at once with `decide_many` (what the model backtester calls); both give the same decisions.

- `fixed_interval`: every `interval_seconds`, trade net delta back to zero.
- `fixed_band`: when |net delta| > `band`, trade to zero (`target="zero"`) or to the nearest band edge
  (`target="edge"`).
- `whalley_wilmott`: the asymptotically optimal band of Whalley & Wilmott (1997) for proportional costs,
      H = (3 e^{-r tau} k S Gamma^2 / (2 gamma_risk))^{1/3},   H >= min_band,
  with k the round-trip cost rate, k = 2 * cost_rate + |funding_rate_per_day| * funding_horizon_days
  (one-way fee plus impact each way, plus the funding expected while holding the hedge), S the spot,
  Gamma the book's gamma, tau the time to the nearest expiry, r the rate, and gamma_risk the absolute
  risk aversion (per quote unit). When |net delta| > H the policy trades to the band edge (the optimum
  for proportional costs: the smallest trade that restores the band) or, with `target="zero"`, to zero.
  `min_band` keeps the band open when Gamma ~ 0 (an empty book or deep in/out of the money).

All policies hold when the order would be smaller than `min_trade_size` (units of underlying)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.strategy.types import BookSnapshot, HedgeOrder, HedgeState

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Target = Literal["zero", "edge"]

# A due time compares with this relative slack so that float step times hit the interval exactly.
_TIME_SLACK = 1e-9


class PolicyError(HedgekeeperError):
    """A hedging policy name or parameter is invalid."""


@dataclass(frozen=True)
class BookBatch:
    """Many books at once (one per simulated path), the fields of `BookSnapshot` the policies read, as
    arrays of one shape (scalars broadcast)."""

    timestamp: FloatArray
    spot: FloatArray
    options_delta: FloatArray
    options_gamma: FloatArray
    hedge_size: FloatArray
    time_to_expiry_years: FloatArray
    rate: FloatArray
    cost_rate: FloatArray
    funding_rate_per_day: FloatArray

    @property
    def net_delta(self) -> FloatArray:
        return self.options_delta + self.hedge_size

    def snapshot(self, i: int) -> BookSnapshot:
        """Book `i` as the scalar snapshot the keeper would pass (fields the batch lacks are zero)."""
        f = {name: float(np.broadcast_to(getattr(self, name), self.options_delta.shape)[i]) for name in (
            "timestamp", "spot", "options_delta", "options_gamma", "hedge_size", "time_to_expiry_years",
            "rate", "cost_rate", "funding_rate_per_day")}
        return BookSnapshot(mark=f["spot"], index=f["spot"], options_vega=0.0, options_theta=0.0, **f)


@dataclass(frozen=True)
class BatchOrders:
    """Per book: whether to trade, the trade (0 where holding) and the target net delta."""

    trade: BoolArray
    size_delta: FloatArray
    target_net_delta: FloatArray


class BatchHedgePolicy(Protocol):
    """A `HedgePolicy` that also decides for many books at once; `decide_many` must give the decisions
    `decide` gives book by book (`last_hedge_timestamp` per book, -inf before the first hedge)."""

    name: str

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None: ...

    def decide_many(self, batch: BookBatch, last_hedge_timestamp: FloatArray) -> BatchOrders: ...


def _finite(name: str, value: Any, *, minimum: float | None = None, strict: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise PolicyError(f"parameter {name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise PolicyError(f"parameter {name} must be finite, got {value!r}")
    if minimum is not None and (x <= minimum if strict else x < minimum):
        raise PolicyError(f"parameter {name} must be {'>' if strict else '>='} {minimum}, got {value!r}")
    return x


def _target(value: Any) -> Target:
    if value not in ("zero", "edge"):
        raise PolicyError(f"parameter target must be 'zero' or 'edge', got {value!r}")
    return value  # type: ignore[no-any-return]


def _order(net: float, target: float, min_trade: float, reason: str) -> HedgeOrder | None:
    size = target - net
    if size == 0.0 or abs(size) < min_trade:
        return None
    return HedgeOrder(size_delta=size, target_net_delta=target, reason=reason)


def _orders(net: FloatArray, want: BoolArray, target: FloatArray, min_trade: float) -> BatchOrders:
    size = target - net
    trade = want & (size != 0.0) & ~(np.abs(size) < min_trade)
    return BatchOrders(trade=trade, size_delta=np.where(trade, size, 0.0), target_net_delta=np.where(trade, target, net))


def _band_target(net: float, band: float, target: Target) -> float:
    if target == "zero":
        return 0.0
    return math.copysign(band, net)


class FixedIntervalPolicy:
    """Hedge net delta to zero every `interval_seconds` (the first decision always hedges)."""

    name = "fixed_interval"

    def __init__(self, interval_seconds: Any, min_trade_size: Any = 0.0) -> None:
        self.interval_seconds = _finite("interval_seconds", interval_seconds, minimum=0.0, strict=True)
        self.min_trade_size = _finite("min_trade_size", min_trade_size, minimum=0.0)

    def _due(self, now: float, last: float) -> bool:
        return now - last >= self.interval_seconds * (1.0 - _TIME_SLACK)

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None:
        if not self._due(snapshot.timestamp, state.last_hedge_timestamp):
            return None
        return _order(snapshot.net_delta, 0.0, self.min_trade_size, f"interval {self.interval_seconds:g}s elapsed")

    def decide_many(self, batch: BookBatch, last_hedge_timestamp: FloatArray) -> BatchOrders:
        net = batch.net_delta
        due = np.broadcast_to(batch.timestamp - last_hedge_timestamp >= self.interval_seconds * (1.0 - _TIME_SLACK), net.shape)
        return _orders(net, due, np.zeros_like(net), self.min_trade_size)


class FixedBandPolicy:
    """Hedge when |net delta| > `band` (units of underlying), to zero or to the band edge."""

    name = "fixed_band"

    def __init__(self, band: Any, target: Any = "zero", min_trade_size: Any = 0.0) -> None:
        self.band = _finite("band", band, minimum=0.0)
        self.target = _target(target)
        self.min_trade_size = _finite("min_trade_size", min_trade_size, minimum=0.0)

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None:
        net = snapshot.net_delta
        if not abs(net) > self.band:
            return None
        return _order(net, _band_target(net, self.band, self.target), self.min_trade_size, f"|net delta| > band {self.band:g}")

    def decide_many(self, batch: BookBatch, last_hedge_timestamp: FloatArray) -> BatchOrders:
        net = batch.net_delta
        out = np.abs(net) > self.band
        target = np.zeros_like(net) if self.target == "zero" else np.copysign(self.band, net)
        return _orders(net, out, target, self.min_trade_size)


class WhalleyWilmottPolicy:
    """Whalley-Wilmott utility-based band (see the module docstring for the formula and units)."""

    name = "whalley_wilmott"

    def __init__(
        self, gamma_risk: Any, min_band: Any = 0.0, target: Any = "edge", funding_horizon_days: Any = 0.0,
        min_trade_size: Any = 0.0,
    ) -> None:
        self.gamma_risk = _finite("gamma_risk", gamma_risk, minimum=0.0, strict=True)
        self.min_band = _finite("min_band", min_band, minimum=0.0)
        self.target = _target(target)
        self.funding_horizon_days = _finite("funding_horizon_days", funding_horizon_days, minimum=0.0)
        self.min_trade_size = _finite("min_trade_size", min_trade_size, minimum=0.0)

    def round_trip_cost(self, snapshot: BookSnapshot) -> float:
        return 2.0 * snapshot.cost_rate + abs(snapshot.funding_rate_per_day) * self.funding_horizon_days

    def band(self, snapshot: BookSnapshot) -> float:
        """Half-width H of the no-trade band around zero net delta (units of underlying)."""
        tau = max(snapshot.time_to_expiry_years, 0.0)
        k = self.round_trip_cost(snapshot)
        x = 3.0 * math.exp(-snapshot.rate * tau) * k * snapshot.spot * snapshot.options_gamma**2 / (2.0 * self.gamma_risk)
        return max(self.min_band, math.cbrt(x))

    def band_many(self, batch: BookBatch) -> FloatArray:
        tau = np.maximum(batch.time_to_expiry_years, 0.0)
        k = 2.0 * batch.cost_rate + np.abs(batch.funding_rate_per_day) * self.funding_horizon_days
        x = 3.0 * np.exp(-batch.rate * tau) * k * batch.spot * batch.options_gamma**2 / (2.0 * self.gamma_risk)
        return np.maximum(self.min_band, np.cbrt(x))

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None:
        net = snapshot.net_delta
        h = self.band(snapshot)
        if not abs(net) > h:
            return None
        return _order(net, _band_target(net, h, self.target), self.min_trade_size, f"|net delta| > WW band {h:.6g}")

    def decide_many(self, batch: BookBatch, last_hedge_timestamp: FloatArray) -> BatchOrders:
        net = batch.net_delta
        h = np.broadcast_to(self.band_many(batch), net.shape)
        out = np.abs(net) > h
        target = np.zeros_like(net) if self.target == "zero" else np.copysign(h, net)
        return _orders(net, out, target, self.min_trade_size)


Policy = FixedIntervalPolicy | FixedBandPolicy | WhalleyWilmottPolicy

POLICIES: dict[str, type[FixedIntervalPolicy] | type[FixedBandPolicy] | type[WhalleyWilmottPolicy]] = {
    "fixed_interval": FixedIntervalPolicy,
    "fixed_band": FixedBandPolicy,
    "whalley_wilmott": WhalleyWilmottPolicy,
}
ALIASES = {"interval": "fixed_interval", "band": "fixed_band", "ww": "whalley_wilmott"}


def make_policy(name: str, **params: Any) -> Policy:
    """The policy called `name` (or an alias: interval, band, ww) built from keyword parameters."""
    key = ALIASES.get(name, name)
    cls = POLICIES.get(key)
    if cls is None:
        raise PolicyError(f"unknown policy {name!r}; choose one of {', '.join(sorted(POLICIES))}")
    accepted = [p for p in cls.__init__.__code__.co_varnames[1 : cls.__init__.__code__.co_argcount]]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise PolicyError(f"unknown parameter {unknown[0]!r} for policy {key}; accepted: {', '.join(accepted)}")
    required = [p for p in accepted[: len(accepted) - len(cls.__init__.__defaults__ or ())]]
    missing = [p for p in required if p not in params]
    if missing:
        raise PolicyError(f"policy {key} needs parameter {missing[0]!r}")
    return cls(**params)
