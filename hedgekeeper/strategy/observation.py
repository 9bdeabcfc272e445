"""What the keeper knows at one decision: the book (BookSnapshot) plus the pool's housekeeping state and
liquidation candidates, all read from the chain in one cycle. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from hedgekeeper.oracle_surface import PostedSurface, SurfaceLimits
from hedgekeeper.strategy.types import BookSnapshot, HedgeState


@dataclass(frozen=True)
class PerpCandidate:
    """A perp account below maintenance margin, with the liquidator reward expected for it (quote)."""

    account: str
    estimated_reward: float


@dataclass(frozen=True)
class OracleView:
    """The volatility oracle's realized state against its feed: the feed's latest round time
    (latestRoundData().updatedAt) and the feed time of the last round the oracle folded
    (realizedState().lastObservedAt), unix seconds; realized vol as a fraction a year."""

    feed_updated_at: int
    folded_at: int
    realized_vol: float

    @property
    def new_round(self) -> bool:
        return self.feed_updated_at > self.folded_at


@dataclass(frozen=True)
class ExpirySurface:
    """A live expiry (unix seconds) and its last post (WAD integers as on chain)."""

    expiry: int
    posted: PostedSurface


@dataclass(frozen=True)
class SurfaceBook:
    """The oracle's posting limits, its maxSurfaceAge (seconds) and the last post of every live expiry."""

    limits: SurfaceLimits
    max_surface_age: int
    expiries: tuple[ExpirySurface, ...]


@dataclass(frozen=True)
class DeleverageCandidate:
    """A perp account in profit at the mark: signed size (WAD) and rank uPnL x notional / equity (as on chain)."""

    account: str
    size: int
    score: int


@dataclass(frozen=True)
class PerpDebt:
    """The perp market's pending deleveraging debt and insurance fund (quote units) and its candidates."""

    pending_longs: int  # debt of bankrupt longs, paid by shorts (size < 0)
    pending_shorts: int  # debt of bankrupt shorts, paid by longs (size > 0)
    insurance_fund: int
    candidates: tuple[DeleverageCandidate, ...] = ()


@dataclass(frozen=True)
class ChainSnapshot:
    """The pool's state at one block. Times are unix seconds (chain time)."""

    book: BookSnapshot
    greeks_updated_at: float
    nearest_expiry: float  # 0 when the book has no unsettled expiry
    expired_unsettled_boards: int
    liquidatable_shorts: tuple[int, ...] = ()
    liquidatable_perps: tuple[PerpCandidate, ...] = ()
    gas_price_wei: int = 0
    oracle: OracleView | None = None  # None: not read (duty off or no oracle)
    surfaces: SurfaceBook | None = None  # None: not read (duty off, no oracle or no market)
    perp_debt: PerpDebt | None = None  # None: not read (duty off or no perp market)

    @property
    def timestamp(self) -> float:
        return self.book.timestamp


@dataclass(frozen=True)
class KeeperState:
    """What the keeper remembers between decisions (rebuilt from its journal after a restart)."""

    hedge: HedgeState = field(default_factory=HedgeState)
    pending_hedge: bool = False  # a hedge transaction is sent and not yet mined
    last_oracle_update: float = float("-inf")  # chain time of the last oracle update the keeper sent
    greeks_spot: float | None = None  # spot when the pool's cached greeks were last refreshed (None: unknown)
