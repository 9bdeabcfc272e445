"""What the keeper knows at one decision: the book (BookSnapshot) plus the pool's housekeeping state and
liquidation candidates, all read from the chain in one cycle. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from hedgekeeper.strategy.types import BookSnapshot, HedgeState


@dataclass(frozen=True)
class PerpCandidate:
    """A perp account below maintenance margin, with the liquidator reward expected for it (quote)."""

    account: str
    estimated_reward: float


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
