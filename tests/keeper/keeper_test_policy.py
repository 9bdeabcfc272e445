"""A hedging policy used only by the keeper's tests: when |net delta| exceeds `band`, trade back to zero.
It records every book it was asked about so tests can check what the keeper passed in."""

from __future__ import annotations

from hedgekeeper.strategy.types import BookSnapshot, HedgeOrder, HedgeState


class BandPolicy:
    name = "test_band"

    def __init__(self, band: float = 0.1) -> None:
        if band < 0:
            raise ValueError(f"band must be >= 0, got {band}")
        self.band = band
        self.seen: list[BookSnapshot] = []

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None:
        self.seen.append(snapshot)
        net = snapshot.net_delta
        if abs(net) <= self.band:
            return None
        return HedgeOrder(size_delta=-net, target_net_delta=0.0, reason=f"|net delta| {abs(net):.4f} > band {self.band}")


class FixedOrderPolicy:
    """Always returns the same order (to test the keeper's guards around whatever a policy says)."""

    name = "test_fixed"

    def __init__(self, size_delta: float) -> None:
        self.size_delta = size_delta

    def decide(self, snapshot: BookSnapshot, state: HedgeState) -> HedgeOrder | None:
        return HedgeOrder(size_delta=self.size_delta, target_net_delta=snapshot.net_delta + self.size_delta, reason="fixed")
