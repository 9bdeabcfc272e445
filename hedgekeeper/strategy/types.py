"""Typed inputs and outputs of the pure strategy.

Units (floats, natural units): prices in quote currency per unit of underlying (e.g. USD per ETH);
sizes and deltas in units of underlying; gamma per 1 quote unit of spot; vega per 1.00 of volatility;
theta per year; money in quote currency (not token base units); times in seconds unless named `_years`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class BookSnapshot:
    """The pool's book and hedge account at one moment, as read from the chain (or a model)."""

    timestamp: float
    spot: float
    mark: float
    index: float
    funding_rate_per_day: float  # + means longs pay shorts, fraction of notional per day
    options_delta: float
    options_gamma: float
    options_vega: float
    options_theta: float
    hedge_size: float
    time_to_expiry_years: float  # of the nearest unsettled expiry (0 when the book is empty)
    rate: float = 0.0  # risk-free rate per year
    cost_rate: float = 0.0  # one-way cost of trading, fraction of notional (fee + impact at typical size)
    hedge_margin: float = 0.0
    hedge_equity: float = 0.0
    hedge_maintenance_margin: float = 0.0
    free_cash: float = 0.0

    @property
    def net_delta(self) -> float:
        """Delta of options and hedge together (units of underlying)."""
        return self.options_delta + self.hedge_size


@dataclass(frozen=True)
class HedgeState:
    """What a policy remembers between decisions, carried by the caller (never by the policy)."""

    last_hedge_timestamp: float = float("-inf")


@dataclass(frozen=True)
class HedgeOrder:
    """Trade `size_delta` units of underlying on the perp (+ buy, - sell) to move net delta toward a target."""

    size_delta: float
    target_net_delta: float
    reason: str


class HedgePolicy(Protocol):
    """Every hedging policy: given the book and its own state, return an order or None (hold)."""

    name: str

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None: ...
