"""The perp market's deleveraging duty, pure: after a liquidation left pending debt, pick the accounts that
pay it and order them as `PerpMarket.deleverage(targets)` requires. No I/O.

Shorts (size < 0) pay the bankrupt longs' debt, longs (size > 0) the bankrupt shorts'. Every candidate in
profit on the paying side is kept (none is left out on purpose: the contract cannot check that no better-ranked
account was skipped), ordered by rank uPnL x notional / equity, highest first, ties by address. The rank is
compared as the contract's integer, never as a float, so the order is exactly the one it checks."""

from __future__ import annotations

from hedgekeeper.keeper.settings import KeeperSettings
from hedgekeeper.keeper.units import from_quote
from hedgekeeper.strategy.actions import Deleverage
from hedgekeeper.strategy.observation import ChainSnapshot, DeleverageCandidate


def ranked_targets(candidates: tuple[DeleverageCandidate, ...], shorts_pay: bool) -> list[str]:
    """Accounts on the paying side in profit (score > 0), highest score first."""
    side = [c for c in candidates if c.score > 0 and c.size != 0 and (c.size < 0) == shorts_pay]
    return [c.account for c in sorted(side, key=lambda c: (-c.score, c.account.lower()))]


def deleverage_actions(snapshot: ChainSnapshot, settings: KeeperSettings) -> list[Deleverage]:
    """One deleverage(targets) per side with debt and payers; with debt but no payer on any side, one call
    without targets when the insurance fund can repay some of it; nothing without debt."""
    debt = snapshot.perp_debt
    if debt is None or (debt.pending_longs == 0 and debt.pending_shorts == 0):
        return []
    limit = settings.liquidation.deleverage_max_targets
    out: list[Deleverage] = []
    for pending, shorts_pay in ((debt.pending_longs, True), (debt.pending_shorts, False)):
        if pending == 0:
            continue
        targets = ranked_targets(debt.candidates, shorts_pay)[:limit]
        if targets:
            side = "shorts" if shorts_pay else "longs"
            out.append(Deleverage(targets=tuple(targets), paying_side=side, pending_debt=from_quote(pending),
                                  reason=f"{from_quote(pending):.6f} debt of bankrupt {'longs' if shorts_pay else 'shorts'}"))
    if not out and debt.insurance_fund > 0:
        total = debt.pending_longs + debt.pending_shorts
        out.append(Deleverage(targets=(), paying_side="insurance", pending_debt=from_quote(total),
                              reason="pending debt without profitable payers: the insurance fund repays"))
    return out
