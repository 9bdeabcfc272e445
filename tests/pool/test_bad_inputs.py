"""Every bad input reverts with its custom error and changes nothing."""

from __future__ import annotations

import ape
import pytest
from pool_env import ATM, DAY, MAX, QUOTE, STRIKES, WAD, deadline
from eth_utils import keccak


@pytest.fixture
def state(env, alice):
    def read():
        return (
            env.market.numPositions(),
            env.quote.balanceOf(alice),
            env.quote.balanceOf(env.pool),
            env.market.netGreeks(),
            env.market.strike(ATM),
        )

    return read


def _open(env, who, **kw):
    args = dict(strike_id=ATM, is_call=True, is_long=True, size=WAD, collateral=0, limit=MAX, dl=None)
    args.update(kw)
    dl = args["dl"] if args["dl"] is not None else deadline(env.chain)
    return env.market.openPosition(
        args["strike_id"], args["is_call"], args["is_long"], args["size"], args["collateral"], args["limit"], dl,
        sender=who,
    )


def test_open_bad_inputs(env, alice, state):
    before = state()
    m = env.market
    with ape.reverts(m.SizeZero):
        _open(env, alice, size=0)
    with ape.reverts(m.SizeNotWholeLots, size=WAD + 1):
        _open(env, alice, size=WAD + 1)
    with ape.reverts(m.UnknownStrike, strikeId=99):
        _open(env, alice, strike_id=99)
    with ape.reverts(m.DeadlinePassed, deadline=1):
        _open(env, alice, dl=1)
    with ape.reverts(m.PremiumAboveLimit, limit=100 * QUOTE):
        _open(env, alice, limit=100 * QUOTE)
    with ape.reverts(m.PremiumBelowLimit, limit=10_000 * QUOTE):
        _open(env, alice, is_long=False, collateral=5_000 * QUOTE, limit=10_000 * QUOTE)
    with ape.reverts(m.CollateralOnLong):
        _open(env, alice, collateral=1)
    with ape.reverts(m.RiskCapExceeded, greek=0):
        _open(env, alice, size=400 * WAD)  # |delta| ~ 220 > deltaCap 200
    assert state() == before


def test_open_on_expired_board_reverts(env, alice, state):
    env.advance(env.expiry - env.chain.pending_timestamp - 60)
    env.chain.pending_timestamp = env.expiry + 1
    before = state()
    with ape.reverts(env.market.BoardExpired, expiry=env.expiry):
        _open(env, alice)
    assert state() == before


def test_stale_greeks_and_stale_oracle_revert(env, alice, deployer, state):
    env.chain.pending_timestamp += 3_601
    env.post_spot(2_000)
    t = env.market.netGreeks().updatedAt
    before = state()
    with ape.reverts(env.market.GreeksStale, updatedAt=t):
        _open(env, alice)
    env.chain.pending_timestamp += 3_500
    env.pool.refreshGreeks(sender=deployer)  # greeks fresh, spot 3,500 s old
    env.chain.pending_timestamp += 150  # the feed's last round is now older than maxSpotAge (1 h)
    with ape.reverts(env.oracle.StaleSpot):
        _open(env, alice)
    with ape.reverts(env.oracle.StaleSpot):
        env.pool.refreshGreeks(sender=deployer)
    assert state()[:3] == before[:3]


def test_vol_far_from_smoothed_halts_opening(env, alice, deployer, chain):
    # successive posts can raise the ATM vol by 0.1 each; the smoothed vol lags (1 h half-life)
    for vol in (9, 10, 11):
        chain.pending_timestamp += 61
        env.oracle.postSurfaces([(env.expiry, vol * 10**17, 0)], sender=deployer)
    env.pool.refreshGreeks(sender=deployer)
    iv = env.oracle.impliedVol(env.expiry, STRIKES[ATM])
    sm = env.oracle.smoothedImpliedVol(env.expiry, STRIKES[ATM])
    assert abs(iv - sm) > sm // 4
    with ape.reverts(env.market.VolDeviationTooHigh):
        _open(env, alice)


def test_close_bad_inputs(env, alice, bob):
    _, ev = env.open(alice, size=2 * WAD)
    pid = ev.positionId
    m, dl = env.market, deadline(env.chain)
    with ape.reverts(m.SizeZero):
        m.closePosition(pid, 0, 0, dl, sender=alice)
    with ape.reverts(m.UnknownPosition, positionId=7):
        m.closePosition(7, WAD, 0, dl, sender=alice)
    with ape.reverts(m.NotPositionOwner, caller=bob.address, owner=alice.address):
        m.closePosition(pid, WAD, 0, dl, sender=bob)
    with ape.reverts(m.SizeAboveOpen, size=3 * WAD, open=2 * WAD):
        m.closePosition(pid, 3 * WAD, 0, dl, sender=alice)
    with ape.reverts(m.PremiumBelowLimit):
        m.closePosition(pid, WAD, 10_000 * QUOTE, dl, sender=alice)
    with ape.reverts(m.DeadlinePassed):
        m.closePosition(pid, WAD, 0, 1, sender=alice)
    assert m.position(pid).size == 2 * WAD
    with ape.reverts(m.NotShort, positionId=pid):
        m.addCollateral(pid, QUOTE, sender=alice)
    with ape.reverts(m.SizeZero):
        m.addCollateral(pid, 0, sender=alice)
    with ape.reverts(m.NotShort, positionId=pid):
        env.pool.liquidateShort(pid, sender=bob)


def test_listing_bad_inputs(env, deployer, alice, chain):
    m = env.market
    now = chain.pending_timestamp
    with ape.reverts(m.Unauthorized, caller=alice.address, role=keccak(text="LISTER_ROLE")):
        m.addBoard(now + DAY, [WAD], sender=alice)
    with ape.reverts(m.ExpiryNotInFuture):
        m.addBoard(now - 10, [WAD], sender=deployer)
    with ape.reverts(m.ExpiryAlreadyListed, expiry=env.expiry):
        m.addBoard(env.expiry, [WAD], sender=deployer)
    with ape.reverts(m.BadStrikeCount, count=0):
        m.addBoard(now + DAY, [], sender=deployer)
    with ape.reverts(m.BadStrikeCount, count=65):
        m.addBoard(now + DAY, [(i + 1) * WAD for i in range(65)], sender=deployer)
    with ape.reverts(m.StrikesNotIncreasing, index=1):
        m.addBoard(now + DAY, [2 * WAD, WAD], sender=deployer)
    with ape.reverts(m.StrikeZero, index=0):
        m.addBoard(now + DAY, [0], sender=deployer)
    assert list(m.activeBoards()) == [0]
    with ape.reverts(m.UnknownBoardId, boardId=1):
        m.board(1)
    with ape.reverts(m.UnknownStrike, strikeId=10**6):
        m.strike(10**6)


def test_parameter_and_wiring_bad_inputs(env, deployer, alice):
    from hedgekeeper.pool_setup import FEE_PARAMS, MARKET_PARAMS, POOL_PARAMS

    m, p = env.market, env.pool
    bad_fee = list(FEE_PARAMS)
    bad_fee[1] = bad_fee[0] + 1  # minFeeRate above baseFeeRate
    with ape.reverts(p.InvalidParameter, name=b"minFeeRate".ljust(32, b"\0")):
        p.setFeeParams(bad_fee, sender=deployer)
    bad_market = list(MARKET_PARAMS)
    bad_market[5] = WAD // 2  # initialMarginFactor < 1
    with ape.reverts(p.InvalidParameter, name=b"initialMarginFactor".ljust(32, b"\0")):
        p.setMarketParams(bad_market, sender=deployer)
    for index, name in ((2, b"deltaCap"), (3, b"gammaCap"), (4, b"vegaCap")):
        too_big = list(MARKET_PARAMS)
        too_big[index] = 2**128  # caps are stored in 128 bits
        with ape.reverts(p.InvalidParameter, name=name.ljust(32, b"\0"), value=2**128):
            p.setMarketParams(too_big, sender=deployer)
    bad_pool = list(POOL_PARAMS)
    bad_pool[0] = WAD  # 100% withdrawal fee
    with ape.reverts(p.InvalidParameter, name=b"withdrawalFeeRate".ljust(32, b"\0")):
        p.setPoolParams(bad_pool, sender=deployer)
    with ape.reverts(p.AccessControlUnauthorizedAccount, account=alice.address):
        p.setFeeParams(FEE_PARAMS, sender=alice)
    with ape.reverts(m.NotPool, caller=alice.address):
        m.setFeeParams(FEE_PARAMS, sender=alice)
    with ape.reverts(p.AccessControlUnauthorizedAccount):
        p.setPoolParams(POOL_PARAMS, sender=alice)
    with ape.reverts(p.MarketAlreadySet):
        p.setMarket(alice, sender=deployer)
    with ape.reverts(p.NotMarket, caller=alice.address):
        p.applyCashFlow((alice, -1, 0, 0, 0, 0), sender=alice)
    with ape.reverts(m.NotPool, caller=alice.address):
        m.liquidateShortFor(0, alice, sender=alice)
    assert p.poolParams() == POOL_PARAMS
    assert m.feeParams() == FEE_PARAMS and m.marketParams() == MARKET_PARAMS
    assert keccak(text="KEEPER_ROLE") == p.KEEPER_ROLE()


@pytest.mark.parametrize("greek,index,cap", [(1, 3, WAD // 200), (2, 4, 1_000 * WAD)])
def test_gamma_and_vega_caps(env, alice, bob, deployer, greek, index, cap):
    from hedgekeeper.pool_setup import MARKET_PARAMS

    params = list(MARKET_PARAMS)
    params[index] = cap
    env.pool.setMarketParams(params, sender=deployer)
    with ape.reverts(env.market.RiskCapExceeded, greek=greek):
        env.open(alice, size=10 * WAD)
    _, small = env.open(alice, size=2 * WAD)  # within the cap
    # a trade that reduces the exposure is allowed even when the book is beyond the cap
    params[index] = 1
    env.pool.setMarketParams(params, sender=deployer)
    env.open(bob, is_long=False, size=WAD, collateral=2_000 * QUOTE)
    env.market.closePosition(small.positionId, 2 * WAD, 0, deadline(env.chain), sender=alice)
