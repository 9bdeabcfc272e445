"""The pure decide step and its duties, without a chain."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.strategy.actions import (
    AdjustMargin,
    Deleverage,
    HedgeTrade,
    LiquidatePerp,
    LiquidateShort,
    PostSurfaces,
    RefreshGreeks,
    SettleExpiry,
    UpdateOracle,
    action_from_dict,
    action_to_dict,
)
from hedgekeeper.strategy.decide import decide, with_costs
from hedgekeeper.oracle_surface import PostedSurface, SurfaceLimits
from hedgekeeper.strategy.observation import (
    ChainSnapshot,
    DeleverageCandidate,
    ExpirySurface,
    KeeperState,
    OracleView,
    PerpCandidate,
    PerpDebt,
    SurfaceBook,
)
from hedgekeeper.strategy.types import BookSnapshot, HedgeState
from keeper_test_policy import BandPolicy, FixedOrderPolicy

NOW = 1_800_000_000.0
ALL_OFF = {"hedge": False, "margin": False, "oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False,
           "liquidate_perps": False, "surface": False, "deleverage": False}


def settings(**kw):
    duties = {**{k: True for k in ALL_OFF}, **kw.pop("duties", {})}
    return load_settings(duties=duties, **kw)


def only(**on):
    return {**ALL_OFF, **on}


def snap(options_delta=0.0, hedge_size=0.0, gamma=-0.01, mark=2000.0, equity=None, margin=None, maint=None, free_cash=1e6,
         funding=0.0, greeks_age=0.0, expiry=NOW + 7 * 86400, expired=0, shorts=(), perps=(), gas_price_wei=0):
    notional = abs(hedge_size) * mark
    eq = 0.15 * notional if equity is None else equity
    book = BookSnapshot(
        timestamp=NOW, spot=mark, mark=mark, index=mark, funding_rate_per_day=funding, options_delta=options_delta,
        options_gamma=gamma, options_vega=100.0, options_theta=-50.0, hedge_size=hedge_size,
        time_to_expiry_years=max(0.0, (expiry - NOW) / (365 * 86400)) if expiry else 0.0,
        hedge_margin=eq if margin is None else margin, hedge_equity=eq,
        hedge_maintenance_margin=0.05 * notional if maint is None else maint, free_cash=free_cash,
    )
    return ChainSnapshot(book=book, greeks_updated_at=NOW - greeks_age, nearest_expiry=expiry, expired_unsettled_boards=expired,
                         liquidatable_shorts=tuple(shorts), liquidatable_perps=tuple(perps), gas_price_wei=gas_price_wei)


FRESH = KeeperState(last_oracle_update=NOW)


def kinds(actions):
    return [a.kind for a in actions]


def test_no_action_when_hedged_and_everything_fresh():
    assert decide(snap(options_delta=-3.0, hedge_size=3.0), FRESH, settings(), BandPolicy(0.1)) == []


def test_zero_gamma_flat_book_does_nothing():
    s = snap(options_delta=0.0, hedge_size=0.0, gamma=0.0, expiry=0)
    assert decide(s, FRESH, settings(duties=only(hedge=True, margin=True)), BandPolicy(0.0)) == []


@pytest.mark.parametrize("net, side", [(2.5, -1), (-2.5, 1)])
def test_delta_sign_sets_side_and_limit_price(net, side):
    cfg = settings(duties=only(hedge=True), slippage=0.01, deadline_s=90)
    (trade,) = decide(snap(options_delta=net), FRESH, cfg, BandPolicy(0.1))
    assert isinstance(trade, HedgeTrade)
    assert trade.size_delta == pytest.approx(-net)
    assert trade.limit_price == pytest.approx(2000.0 * (1 + 0.01 * side))
    assert trade.deadline == int(NOW + 90)
    assert trade.target_net_delta == pytest.approx(0.0)


def test_delta_flipping_sign_between_cycles_flips_the_trade():
    cfg = settings(duties=only(hedge=True))
    policy = BandPolicy(0.1)
    (first,) = decide(snap(options_delta=-4.0, hedge_size=3.0), FRESH, cfg, policy)
    (second,) = decide(snap(options_delta=-2.0, hedge_size=3.0), FRESH, cfg, policy)
    assert first.size_delta == pytest.approx(1.0) and second.size_delta == pytest.approx(-1.0)


def test_huge_move_is_capped_per_trade():
    cfg = settings(duties=only(hedge=True), max_hedge_size=5.0)
    (trade,) = decide(snap(options_delta=-1_000.0), FRESH, cfg, BandPolicy(0.1))
    assert trade.size_delta == 5.0 and "capped" in trade.reason
    assert trade.target_net_delta == pytest.approx(-995.0)


def test_order_past_zero_is_clipped_and_order_adding_delta_is_dropped():
    cfg = settings(duties=only(hedge=True))
    (trade,) = decide(snap(options_delta=2.0), FRESH, cfg, FixedOrderPolicy(-5.0))
    assert trade.size_delta == pytest.approx(-2.0) and "clipped" in trade.reason
    assert decide(snap(options_delta=2.0), FRESH, cfg, FixedOrderPolicy(+1.0)) == []


def test_tiny_order_below_min_trade_size_is_skipped():
    cfg = settings(duties=only(hedge=True), min_trade_size=0.01)
    assert decide(snap(options_delta=0.005), FRESH, cfg, BandPolicy(0.0)) == []


def test_pending_hedge_blocks_a_second_one():
    cfg = settings(duties=only(hedge=True))
    assert decide(snap(options_delta=3.0), replace(FRESH, pending_hedge=True), cfg, BandPolicy(0.1)) == []


def test_min_interval_unless_urgent():
    cfg = settings(duties=only(hedge=True), min_hedge_interval_s=600, urgent_delta=5.0)
    recent = replace(FRESH, hedge=HedgeState(last_hedge_timestamp=NOW - 60))
    assert decide(snap(options_delta=3.0), recent, cfg, BandPolicy(0.1)) == []
    (trade,) = decide(snap(options_delta=6.0), recent, cfg, BandPolicy(0.1))
    assert trade.size_delta == pytest.approx(-6.0)
    old = replace(FRESH, hedge=HedgeState(last_hedge_timestamp=NOW - 601))
    assert len(decide(snap(options_delta=3.0), old, cfg, BandPolicy(0.1))) == 1


def test_no_mark_price_means_no_trade():
    cfg = settings(duties=only(hedge=True))
    assert decide(snap(options_delta=3.0, mark=0.0), FRESH, cfg, BandPolicy(0.1)) == []


@pytest.mark.parametrize("funding, net, expected", [
    (0.001, -1.0, 0.0005 + 0.001 * 2),   # buying (long) pays positive funding for 2 days
    (0.001, 1.0, 0.0),                   # selling earns it: cost floored at zero
    (-0.0001, 1.0, 0.0005 + 0.0001 * 2),  # selling pays negative funding
    (0.0, 1.0, 0.0005),
])
def test_expected_funding_enters_the_policy_cost(funding, net, expected):
    cfg = settings(duties=only(hedge=True), trade_cost_rate=0.0005, funding_horizon_days=2.0)
    policy = BandPolicy(10.0)
    decide(snap(options_delta=net, funding=funding), FRESH, cfg, policy)
    assert policy.seen[-1].cost_rate == pytest.approx(expected)
    assert with_costs(snap(options_delta=net, funding=funding).book, cfg).cost_rate == pytest.approx(expected)


def test_at_expiry_settles_first_and_does_not_hedge_the_stale_book():
    cfg = settings(duties=only(hedge=True, settle=True, greeks=True))
    s = snap(options_delta=5.0, expiry=NOW - 1, expired=1, greeks_age=10_000)
    actions = decide(s, FRESH, cfg, BandPolicy(0.1))
    assert kinds(actions) == ["settle_expiry"]
    assert actions[0].expiry == int(NOW - 1)
    assert snap(expiry=NOW - 1).book.time_to_expiry_years == 0.0


def test_settlement_waits_for_expiry():
    cfg = settings(duties=only(settle=True))
    assert decide(snap(expiry=NOW + 1, expired=0), FRESH, cfg, BandPolicy()) == []


def test_greeks_refreshed_before_they_go_stale():
    cfg = settings(duties=only(greeks=True, hedge=True), greeks_max_age_s=100)
    assert decide(snap(greeks_age=50), FRESH, cfg, BandPolicy()) == []
    assert kinds(decide(snap(options_delta=1.0, greeks_age=85), FRESH, cfg, BandPolicy(0.1))) == ["refresh_greeks", "hedge"]
    # stale: refresh now, hedge on fresh greeks next cycle
    assert kinds(decide(snap(options_delta=1.0, greeks_age=150), FRESH, cfg, BandPolicy(0.1))) == ["refresh_greeks"]


def test_oracle_update_at_the_fallback_interval_when_its_state_is_unread():
    cfg = settings(duties=only(oracle=True), oracle_interval_s=3600)
    assert decide(snap(), KeeperState(last_oracle_update=NOW - 100), cfg, BandPolicy()) == []
    assert kinds(decide(snap(), KeeperState(last_oracle_update=NOW - 3600), cfg, BandPolicy())) == ["update_oracle"]
    assert kinds(decide(snap(), KeeperState(), cfg, BandPolicy())) == ["update_oracle"]


def test_margin_below_range_deposits_to_target_before_the_hedge():
    cfg = settings(duties=only(hedge=True, margin=True))
    # hedge 10 @ 2000 = 20,000 notional; equity 1,000 (5%) < 10% -> deposit to 15% of the post-trade notional
    s = snap(options_delta=-12.0, hedge_size=10.0, equity=1_000.0)
    actions = decide(s, FRESH, cfg, BandPolicy(0.1))
    assert kinds(actions) == ["adjust_margin", "hedge"]
    assert actions[0].amount == pytest.approx(0.15 * 12.0 * 2000.0 - 1_000.0)


def test_margin_deposit_is_limited_by_free_cash_and_skipped_without_cash():
    cfg = settings(duties=only(margin=True))
    (adj,) = decide(snap(options_delta=-10.0, hedge_size=10.0, equity=500.0, free_cash=700.0), FRESH, cfg, BandPolicy())
    assert adj.amount == pytest.approx(700.0)
    assert decide(snap(options_delta=-10.0, hedge_size=10.0, equity=500.0, free_cash=0.0), FRESH, cfg, BandPolicy()) == []


def test_margin_above_range_withdraws_after_the_hedge():
    cfg = settings(duties=only(hedge=True, margin=True))
    s = snap(options_delta=-5.0, hedge_size=10.0, equity=8_000.0, margin=8_000.0)
    actions = decide(s, FRESH, cfg, BandPolicy(0.1))
    assert kinds(actions) == ["hedge", "adjust_margin"]
    assert actions[1].amount == pytest.approx(-(8_000.0 - 0.15 * 5.0 * 2000.0))


def test_margin_inside_range_and_maintenance_buffer():
    cfg = settings(duties=only(margin=True))
    assert decide(snap(options_delta=-10.0, hedge_size=10.0, equity=4_000.0), FRESH, cfg, BandPolicy()) == []
    # inside the ratio range but below 1.5 x maintenance: deposit
    (adj,) = decide(snap(options_delta=-10.0, hedge_size=10.0, equity=2_500.0, maint=2_000.0), FRESH, cfg, BandPolicy())
    assert adj.amount == pytest.approx(3_000.0 - 2_500.0)


def test_flat_hedge_keeps_only_the_floor():
    cfg = settings(duties=only(margin=True), margin={"floor": 100.0})
    (adj,) = decide(snap(hedge_size=0.0, equity=5_000.0, margin=5_000.0), FRESH, cfg, BandPolicy())
    assert adj.amount == pytest.approx(-4_900.0)
    (adj,) = decide(snap(hedge_size=0.0, equity=0.0, margin=0.0), FRESH, cfg, BandPolicy())
    assert adj.amount == pytest.approx(100.0)


def test_liquidations_only_when_profitable_and_capped_per_cycle():
    perps = [PerpCandidate("0x" + "11" * 20, 50.0), PerpCandidate("0x" + "22" * 20, 0.5)]
    cfg = settings(duties=only(liquidate_shorts=True, liquidate_perps=True), liquidation={"short_reward_estimate": 10.0, "min_profit": 1.0})
    actions = decide(snap(shorts=[7, 9], perps=perps), FRESH, cfg, BandPolicy())
    assert [type(a) for a in actions] == [LiquidateShort, LiquidateShort, LiquidatePerp]
    assert [a.position_id for a in actions[:2]] == [7, 9] and actions[2].account == perps[0].account
    # gas at 10 gwei x 400k gas x 2000 = 8 quote: shorts (10 - 8 = 2) still pay, the 50-reward perp too
    pricey = decide(snap(shorts=[7], perps=perps, gas_price_wei=10 * 10**9), FRESH, cfg, BandPolicy())
    assert [a.estimated_profit for a in pricey] == [pytest.approx(2.0), pytest.approx(42.0)]
    cfg2 = settings(duties=only(liquidate_shorts=True), liquidation={"max_per_cycle": 2})
    assert len(decide(snap(shorts=[1, 2, 3, 4]), FRESH, cfg2, BandPolicy())) == 2


DUTY_CASES = {
    "hedge": (snap(options_delta=3.0), "hedge"),
    "margin": (snap(options_delta=-10.0, hedge_size=10.0, equity=10.0), "adjust_margin"),
    "oracle": (snap(), "update_oracle"),
    "greeks": (snap(greeks_age=10_000), "refresh_greeks"),
    "settle": (snap(expiry=NOW - 5, expired=1), "settle_expiry"),
    "liquidate_shorts": (snap(shorts=[3]), "liquidate_short"),
    "liquidate_perps": (snap(perps=[PerpCandidate("0x" + "33" * 20, 100.0)]), "liquidate_perp"),
    "surface": (replace(snap(), surfaces=SurfaceBook(
        SurfaceLimits(5 * 10**16, 3 * 10**18, 10**18, 10**17, 2 * 10**17, 60), 14_400,
        (ExpirySurface(int(NOW) + 86_400, PostedSurface(8 * 10**17, 0, int(NOW) - 10_000)),))), "post_surfaces"),
    "deleverage": (replace(snap(), perp_debt=PerpDebt(5, 0, 0, (DeleverageCandidate("0x" + "44" * 20, -10**18, 7),))),
                   "deleverage"),
}


@pytest.mark.parametrize("duty", sorted(DUTY_CASES))
def test_each_duty_can_be_switched_off(duty):
    s, kind = DUTY_CASES[duty]
    state = KeeperState()
    on = settings(duties=only(**{duty: True}))
    off = settings(duties={k: k != duty for k in ALL_OFF})
    assert kind in kinds(decide(s, state, on, BandPolicy(0.1)))
    assert kind not in kinds(decide(s, state, off, BandPolicy(0.1)))


def test_actions_round_trip_through_dicts():
    for a in [HedgeTrade(1.5, 2010.0, 123, 0.0, "r"), AdjustMargin(-5.0, "r"), UpdateOracle("r"), RefreshGreeks("r"),
              SettleExpiry(99, "r"), LiquidateShort(4, 1.0, "r"), LiquidatePerp("0xabc", 2.0, "r"),
              PostSurfaces(((1, 2, -3), (4, 5, 6)), "r"), Deleverage(("0xa", "0xb"), "shorts", 1.5, "r")]:
        assert action_from_dict(action_to_dict(a)) == a


def test_decide_is_pure():
    cfg = settings()
    s = snap(options_delta=3.0, hedge_size=1.0, equity=1.0, greeks_age=1e6, shorts=[1])
    assert decide(s, KeeperState(), cfg, BandPolicy(0.1)) == decide(s, KeeperState(), cfg, BandPolicy(0.1))
    assert math.isfinite(sum(getattr(a, "amount", 0.0) for a in decide(s, KeeperState(), cfg, BandPolicy(0.1))))


def test_greeks_refreshed_when_spot_moved_enough_since_the_last_refresh():
    cfg = settings(duties=only(greeks=True, hedge=True), greeks_refresh_drift=0.5)
    # gamma -0.01 per quote: a 20-quote move shifts delta by 0.2 (hedge on cached greeks), 60 by 0.6 (refresh first)
    small = replace(FRESH, greeks_spot=1_980.0)
    assert kinds(decide(snap(options_delta=1.0), small, cfg, BandPolicy(0.1))) == ["hedge"]
    big = replace(FRESH, greeks_spot=1_940.0)
    (refresh,) = decide(snap(options_delta=1.0), big, cfg, BandPolicy(0.1))
    assert isinstance(refresh, RefreshGreeks) and "drift 0.6000" in refresh.reason
    # zero gamma: no drift whatever the move
    assert kinds(decide(snap(options_delta=1.0, gamma=0.0), replace(FRESH, greeks_spot=1_000.0), cfg, BandPolicy(0.1))) == ["hedge"]


def test_no_margin_withdrawal_while_the_hedge_waits_for_fresh_greeks():
    cfg = settings(duties=only(greeks=True, hedge=True, margin=True), greeks_max_age_s=100)
    rich = snap(options_delta=-10.0, hedge_size=0.0, equity=100_000.0, margin=100_000.0, greeks_age=150)
    assert kinds(decide(rich, FRESH, cfg, BandPolicy(0.1))) == ["refresh_greeks"]
    fresh = snap(options_delta=-10.0, hedge_size=0.0, equity=100_000.0, margin=100_000.0)
    assert kinds(decide(fresh, FRESH, cfg, BandPolicy(0.1))) == ["hedge", "adjust_margin"]
