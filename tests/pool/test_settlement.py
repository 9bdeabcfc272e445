"""Settlement at expiry: the settlement spot, long payouts, short collateral less the payoff, the pool's
exposure to the board cleared."""

from __future__ import annotations

import ape
import pytest
from pool_env import ATM, DAY, QUOTE, WAD, check_invariants

PUT_1800 = 2


@pytest.fixture
def who(alice, bob, deployer):
    return {a.address: a for a in (alice, bob, deployer)}


def _to_just_after_expiry(env, spot_usd):
    env.advance(env.expiry - env.chain.pending_timestamp - 100)  # last post before expiry
    env.chain.pending_timestamp = env.expiry + 10


def test_settlement_pays_longs_and_releases_short_collateral(env, alice, bob, deployer, who):
    _, long_call = env.open(alice, strike_id=ATM, size=2 * WAD)
    _, short_put = env.open(bob, strike_id=PUT_1800, is_call=False, is_long=False, size=3 * WAD, collateral=4_000 * QUOTE)
    _, short_call = env.open(bob, strike_id=ATM, is_long=False, size=WAD, collateral=3_000 * QUOTE)
    _to_just_after_expiry(env, 2_000)
    with ape.reverts(env.market.BoardExpired):
        env.open(alice)
    with ape.reverts(env.market.BoardNotSettled):
        env.market.settlePosition(long_call.positionId, sender=alice)
    # the last feed round is from before expiry: no settlement price yet
    with ape.reverts(env.market.SettlementPriceTooEarly):
        env.pool.settleExpiry(env.expiry, sender=deployer)
    env.post_spot(2_150)
    assert env.pool.keeperSnapshot().expiredUnsettledBoards == 1
    env.pool.settleExpiry(env.expiry, sender=deployer)
    b = env.market.board(0)
    assert b.settled and b.settlementSpot == 2_150 * WAD
    assert env.pool.settlementPayable() == 300 * QUOTE  # 2 calls x 150
    assert env.pool.settlementReceivable() == 150 * QUOTE  # Bob's short call
    g = env.market.netGreeks()
    assert (g.delta, g.gamma, g.vega, g.value) == (0, 0, 0, 0)
    snap = env.pool.keeperSnapshot()
    assert snap.nearestExpiry == 0 and snap.expiredUnsettledBoards == 0
    with ape.reverts(env.market.BoardAlreadySettled):
        env.pool.settleExpiry(env.expiry, sender=deployer)

    # a settled short is paid out by settlePosition, never liquidated
    with ape.reverts(env.market.BoardAlreadySettled, expiry=env.expiry):
        env.pool.liquidateShort(short_call.positionId, sender=deployer)
    assert env.market.maintenanceMargin(short_call.positionId) == 0
    a0, b0 = env.quote.balanceOf(alice), env.quote.balanceOf(bob)
    env.market.settlePosition(long_call.positionId, sender=deployer)  # anyone may settle
    assert env.quote.balanceOf(alice) == a0 + 300 * QUOTE
    env.market.settlePosition(short_put.positionId, sender=bob)
    assert env.quote.balanceOf(bob) == b0 + 4_000 * QUOTE  # OTM put: all collateral back
    env.market.settlePosition(short_call.positionId, sender=bob)
    assert env.quote.balanceOf(bob) == b0 + 4_000 * QUOTE + 2_850 * QUOTE
    assert env.pool.settlementPayable() == 0 and env.pool.settlementReceivable() == 0
    assert env.pool.traderCollateral() == 0
    with ape.reverts(env.market.SizeZero):
        env.market.settlePosition(long_call.positionId, sender=alice)
    check_invariants(env, who)


def test_settle_before_expiry_and_unknown_board_revert(env, deployer):
    with ape.reverts(env.market.BoardNotExpired, expiry=env.expiry):
        env.pool.settleExpiry(env.expiry, sender=deployer)
    with ape.reverts(env.market.UnknownBoard, expiry=123):
        env.pool.settleExpiry(123, sender=deployer)


def test_second_board_keeps_trading_after_first_settles(env, alice, deployer, who):
    later = env.expiry + 30 * DAY
    env.market.addBoard(later, [2_000 * WAD], sender=deployer)
    env.oracle.postSurfaces([(later, 8 * 10**17, 0)], sender=deployer)
    _, ev = env.open(alice, strike_id=9, size=WAD)
    _to_just_after_expiry(env, 2_000)
    env.post_spot(2_000)
    env.pool.settleExpiry(env.expiry, sender=deployer)
    assert env.pool.keeperSnapshot().nearestExpiry == later
    env.market.closePosition(ev.positionId, WAD, 0, env.chain.pending_timestamp + 600, sender=alice)
    check_invariants(env, who)
