"""What one keeper cycle saw, decided and did."""

from __future__ import annotations

import math
from dataclasses import dataclass

from hedgekeeper.keeper.executor import Outcome
from hedgekeeper.strategy.actions import Action
from hedgekeeper.strategy.observation import ChainSnapshot


@dataclass(frozen=True)
class CycleReport:
    snapshot: ChainSnapshot
    actions: tuple[Action, ...]
    outcomes: tuple[Outcome, ...]
    read_s: float
    decide_s: float
    execute_s: float
    total_s: float

    @property
    def margin_ratio(self) -> float:
        book = self.snapshot.book
        notional = abs(book.hedge_size) * book.mark
        return book.hedge_equity / notional if notional > 0 else math.inf
