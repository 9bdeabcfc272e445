"""The keeper's typed actions: what `decide` returns and the executor turns into transactions.

Units: sizes in units of underlying, prices in quote per unit, money in quote currency, times unix seconds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Union


@dataclass(frozen=True)
class HedgeTrade:
    """pool.hedge(size_delta, limit_price, deadline): trade the pool's perp hedge (+ buy, - sell)."""

    kind: ClassVar[str] = "hedge"
    size_delta: float
    limit_price: float
    deadline: int
    target_net_delta: float
    reason: str


@dataclass(frozen=True)
class AdjustMargin:
    """pool.adjustHedgeMargin(amount): move `amount` quote from pool cash to the hedge account (+) or back (-)."""

    kind: ClassVar[str] = "adjust_margin"
    amount: float
    reason: str


@dataclass(frozen=True)
class UpdateOracle:
    """oracle.update(): fold the latest feed price into the realized-volatility estimate."""

    kind: ClassVar[str] = "update_oracle"
    reason: str


@dataclass(frozen=True)
class PostSurfaces:
    """oracle.postSurfaces(posts): `posts` are (expiry, atmVol WAD, skew WAD) per expiry, in one transaction."""

    kind: ClassVar[str] = "post_surfaces"
    posts: tuple[tuple[int, int, int], ...]
    reason: str


@dataclass(frozen=True)
class Deleverage:
    """perp.deleverage(targets): repay pending debt from the insurance fund, then from `targets` (all on the
    paying side: shorts pay the longs' debt, longs the shorts'), highest rank first."""

    kind: ClassVar[str] = "deleverage"
    targets: tuple[str, ...]
    paying_side: str  # "shorts", "longs", or "insurance" (no targets: the insurance fund repays)
    pending_debt: float  # quote, the debt the targets pay (before the insurance fund)
    reason: str


@dataclass(frozen=True)
class RefreshGreeks:
    """pool.refreshGreeks(): recompute the cached aggregate greeks."""

    kind: ClassVar[str] = "refresh_greeks"
    reason: str


@dataclass(frozen=True)
class SettleExpiry:
    """pool.settleExpiry(expiry): settle the board expiring at `expiry`."""

    kind: ClassVar[str] = "settle_expiry"
    expiry: int
    reason: str


@dataclass(frozen=True)
class LiquidateShort:
    """pool.liquidateShort(position_id)."""

    kind: ClassVar[str] = "liquidate_short"
    position_id: int
    estimated_profit: float
    reason: str


@dataclass(frozen=True)
class LiquidatePerp:
    """perp.liquidate(account)."""

    kind: ClassVar[str] = "liquidate_perp"
    account: str
    estimated_profit: float
    reason: str


Action = Union[
    HedgeTrade, AdjustMargin, UpdateOracle, PostSurfaces, RefreshGreeks, SettleExpiry, LiquidateShort, LiquidatePerp, Deleverage
]

ACTION_TYPES: dict[str, type] = {
    t.kind: t
    for t in (
        HedgeTrade, AdjustMargin, UpdateOracle, PostSurfaces, RefreshGreeks, SettleExpiry, LiquidateShort, LiquidatePerp, Deleverage
    )
}


def action_to_dict(action: Action) -> dict[str, Any]:
    """JSON-ready form with its `kind`."""
    return {"kind": action.kind, **asdict(action)}


def action_from_dict(data: dict[str, Any]) -> Action:
    fields = dict(data)
    kind = fields.pop("kind")
    for name, value in fields.items():  # JSON arrays back to the tuples the frozen actions hold
        if isinstance(value, list):
            fields[name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return ACTION_TYPES[kind](**fields)  # type: ignore[no-any-return]
