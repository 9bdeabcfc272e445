"""The keeper's pure decision step (Chainlink Automation's "check"): a ChainSnapshot and the keeper's state
in, a list of typed actions out, in the order they should be sent. No I/O.

Hedging is delegated to the configured HedgePolicy, after the book's cost rate has been set to the
one-way trading cost plus the funding expected over the holding horizon. Around the policy the keeper
applies Lyra-style guards: one pending hedge at a time, a minimum interval unless the net delta is urgent,
a cap per trade, no trade that would move net delta past zero, and a slippage limit on the fill price."""

from __future__ import annotations

import math
from dataclasses import replace

from hedgekeeper.keeper.settings import KeeperSettings
from hedgekeeper.strategy.actions import (
    Action,
    AdjustMargin,
    HedgeTrade,
    LiquidatePerp,
    LiquidateShort,
    RefreshGreeks,
    SettleExpiry,
)
from hedgekeeper.strategy.deleverage import deleverage_actions
from hedgekeeper.strategy.observation import ChainSnapshot, KeeperState
from hedgekeeper.strategy.oracle_duties import oracle_update, surface_posts
from hedgekeeper.strategy.types import BookSnapshot, HedgePolicy

# Refresh cached greeks once they are this fraction of their maximum age, i.e. before they go stale.
GREEKS_REFRESH_FRACTION = 0.8


def decide(snapshot: ChainSnapshot, state: KeeperState, settings: KeeperSettings, policy: HedgePolicy) -> list[Action]:
    """Every action the keeper should take now, in sending order."""
    duties = settings.duties
    now = snapshot.timestamp
    actions: list[Action] = []

    settling = duties.settle and needs_settlement(snapshot)
    if settling:
        actions.append(SettleExpiry(expiry=int(snapshot.nearest_expiry), reason=f"{snapshot.expired_unsettled_boards} board(s) expired"))

    # Oracle inputs first: the greeks refresh and the pool's pricing read them.
    if duties.oracle:
        update = oracle_update(snapshot, state, settings)
        if update is not None:
            actions.append(update)
    if duties.surface:
        posts = surface_posts(snapshot, settings)
        if posts is not None:
            actions.append(posts)

    greeks_age = now - snapshot.greeks_updated_at
    drift = greeks_drift(snapshot, state)
    drifted = drift >= settings.greeks_refresh_drift
    stale = greeks_age >= settings.greeks_max_age_s or drifted
    if duties.greeks and not settling and (drifted or greeks_age >= GREEKS_REFRESH_FRACTION * settings.greeks_max_age_s):
        why = f"delta drift {drift:.4f} since refresh" if drifted else f"greeks {greeks_age:.0f}s old (max {settings.greeks_max_age_s:.0f}s)"
        actions.append(RefreshGreeks(reason=why))

    trade: HedgeTrade | None = None
    deferred = settling or (stale and duties.greeks)  # the hedge waits for the refreshed (or settled) book
    if duties.hedge and not deferred:
        trade = hedge_trade(snapshot.book, state, settings, policy)

    margin: AdjustMargin | None = None
    if duties.margin:
        projected = snapshot.book.hedge_size + (trade.size_delta if trade is not None else 0.0)
        margin = margin_adjustment(snapshot.book, projected, settings)
        if margin is not None and margin.amount < 0 and deferred and duties.hedge:
            margin = None  # do not withdraw margin a deferred hedge may need

    # Deposits go before the hedge that needs them, withdrawals after the hedge that frees them.
    if margin is not None and margin.amount > 0:
        actions.append(margin)
    if trade is not None:
        actions.append(trade)
    if margin is not None and margin.amount < 0:
        actions.append(margin)

    actions.extend(liquidations(snapshot, settings))
    if duties.deleverage:
        actions.extend(deleverage_actions(snapshot, settings))
    return actions


def greeks_drift(snapshot: ChainSnapshot, state: KeeperState) -> float:
    """How far the book's delta has moved since its cached greeks were computed, to first order:
    |gamma| x |spot - spot at refresh| (units of underlying; 0 when the refresh spot is unknown)."""
    if state.greeks_spot is None:
        return 0.0
    return abs(snapshot.book.options_gamma) * abs(snapshot.book.spot - state.greeks_spot)


def needs_settlement(snapshot: ChainSnapshot) -> bool:
    return snapshot.expired_unsettled_boards > 0 and 0 < snapshot.nearest_expiry <= snapshot.timestamp


def with_costs(book: BookSnapshot, settings: KeeperSettings) -> BookSnapshot:
    """The book with `cost_rate` = one-way trading cost + funding the hedge trade would pay over the holding
    horizon (negative funding, i.e. income, lowers the cost down to zero) and the configured rate."""
    direction = -math.copysign(1.0, book.net_delta) if book.net_delta != 0 else 0.0
    funding = direction * book.funding_rate_per_day * settings.funding_horizon_days
    return replace(book, cost_rate=max(0.0, settings.trade_cost_rate + funding), rate=settings.risk_free_rate)


def hedge_trade(book: BookSnapshot, state: KeeperState, settings: KeeperSettings, policy: HedgePolicy) -> HedgeTrade | None:
    """The policy's order, guarded and priced, or None."""
    if state.pending_hedge:
        return None
    net = book.net_delta
    if net == 0 or not math.isfinite(net) or not (book.mark > 0 and math.isfinite(book.mark)):
        return None
    if book.timestamp - state.hedge.last_hedge_timestamp < settings.min_hedge_interval_s and abs(net) < settings.urgent_delta:
        return None
    order = policy.decide(with_costs(book, settings), state.hedge)
    if order is None or not math.isfinite(order.size_delta) or order.size_delta == 0:
        return None
    size = order.size_delta
    if math.copysign(1.0, size) == math.copysign(1.0, net):
        return None  # would add to |net delta|: the pool rejects it, and it is never a hedge
    notes = []
    if abs(size) > abs(net):
        size = -net
        notes.append("clipped at zero net delta")
    if abs(size) > settings.max_hedge_size:
        size = math.copysign(settings.max_hedge_size, size)
        notes.append(f"capped at {settings.max_hedge_size:g}")
    if abs(size) < settings.min_trade_size:
        return None
    buy = size > 0
    limit = book.mark * (1 + settings.slippage) if buy else book.mark * (1 - settings.slippage)
    reason = order.reason + (f" ({'; '.join(notes)})" if notes else "")
    return HedgeTrade(
        size_delta=size,
        limit_price=limit,
        deadline=int(book.timestamp + settings.deadline_s),
        target_net_delta=net + size,
        reason=reason,
    )


def margin_adjustment(book: BookSnapshot, projected_size: float, settings: KeeperSettings) -> AdjustMargin | None:
    """Keep hedge equity within [min, max] x notional of the projected hedge (and above the floor and the
    maintenance buffer); move it to the target when outside."""
    m = settings.margin
    notional = abs(projected_size) * book.mark
    maintenance = (
        book.hedge_maintenance_margin * abs(projected_size) / abs(book.hedge_size) if book.hedge_size != 0 else 0.0
    )
    buffered = m.maintenance_buffer * maintenance
    low = max(m.floor, m.min_ratio * notional, buffered)
    target = max(m.floor, m.target_ratio * notional, buffered)
    high = max(m.floor, m.max_ratio * notional, target)
    equity = book.hedge_equity
    if equity < low:
        amount = min(target - equity, book.free_cash)
        if amount >= max(m.min_transfer, 1e-6):
            return AdjustMargin(amount=amount, reason=f"equity {equity:.2f} below {low:.2f}")
    elif equity > high:
        amount = min(equity - target, book.hedge_margin)
        if amount >= max(m.min_transfer, 1e-6):
            return AdjustMargin(amount=-amount, reason=f"equity {equity:.2f} above {high:.2f}")
    return None


def liquidation_gas_cost(snapshot: ChainSnapshot, settings: KeeperSettings) -> float:
    """Gas of one liquidation in quote currency (the gas token is priced at spot: the underlying is ETH)."""
    return settings.liquidation.gas_per_liquidation * snapshot.gas_price_wei / 1e18 * snapshot.book.spot


def liquidations(snapshot: ChainSnapshot, settings: KeeperSettings) -> list[Action]:
    """Profitable liquidations, shorts first, at most `liquidation.max_per_cycle`."""
    liq = settings.liquidation
    gas = liquidation_gas_cost(snapshot, settings)
    out: list[Action] = []
    if settings.duties.liquidate_shorts:
        profit = liq.short_reward_estimate - gas
        if profit >= liq.min_profit:
            out.extend(
                LiquidateShort(position_id=pid, estimated_profit=profit, reason="short below maintenance")
                for pid in snapshot.liquidatable_shorts
            )
    if settings.duties.liquidate_perps:
        for cand in snapshot.liquidatable_perps:
            profit = cand.estimated_reward - gas
            if profit >= liq.min_profit:
                out.append(LiquidatePerp(account=cand.account, estimated_profit=profit, reason="perp account below maintenance"))
    return out[: liq.max_per_cycle]
