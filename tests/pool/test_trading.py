"""Opening and closing positions: premiums against an independent Black-Scholes (mpmath), fees, greeks."""

from __future__ import annotations

import ape
import mpmath as mp
import pytest

from pool_env import ATM, QUOTE, STRIKES, WAD, deadline

MAX = 2**256 - 1


def bs_call_put(spot: float, strike: float, tau: float, vol: float) -> tuple[float, float]:
    mp.mp.dps = 30
    s, k, t, v = mp.mpf(spot), mp.mpf(strike), mp.mpf(tau), mp.mpf(vol)
    d1 = (mp.log(s / k) + v * v * t / 2) / (v * mp.sqrt(t))
    d2 = d1 - v * mp.sqrt(t)
    call = s * mp.ncdf(d1) - k * mp.ncdf(d2)
    return float(call), float(call - s + k)


def _open(env, who, chain, **kw):
    return env.open(who, **kw)


def test_buy_call_premium_matches_reference(env, alice, chain):
    bal = env.quote.balanceOf(alice)
    tx, ev = _open(env, alice, chain)
    tau = env.tau()
    call, _ = bs_call_put(2_000, 2_000, tau, 0.8)
    assert ev.premium / QUOTE == pytest.approx(call, rel=1e-5)
    assert ev.fee > 0
    assert env.quote.balanceOf(alice) == bal - ev.premium - ev.fee
    pos = env.market.position(ev.positionId)
    assert pos.owner == alice.address and pos.size == WAD and pos.isLong
    assert env.market.strike(ATM).longCalls == WAD


def test_buy_put_premium_matches_reference(env, alice, chain):
    tx, ev = _open(env, alice, chain, strike_id=2, is_call=False)
    tau = env.tau()
    _, put = bs_call_put(2_000, 1_800, tau, 0.8)
    assert ev.premium / QUOTE == pytest.approx(put, rel=1e-5)


def test_open_then_close_long_returns_premium_less_fees(env, alice, chain):
    bal = env.quote.balanceOf(alice)
    _, ev = _open(env, alice, chain)
    tx = env.market.closePosition(ev.positionId, WAD, 0, deadline(chain), sender=alice)
    closed = tx.decode_logs(env.market.PositionClosed)[0]
    assert env.market.position(ev.positionId).size == 0
    assert env.market.strike(ATM).longCalls == 0
    paid = ev.premium + ev.fee
    got = closed.premium - closed.fee
    assert env.quote.balanceOf(alice) == bal - paid + got
    assert 0 < paid - got < paid * 0.1


def test_partial_close(env, alice, chain):
    _, ev = _open(env, alice, chain, size=3 * WAD)
    env.market.closePosition(ev.positionId, WAD, 0, deadline(chain), sender=alice)
    assert env.market.position(ev.positionId).size == 2 * WAD
    assert env.market.strike(ATM).longCalls == 2 * WAD


def test_risk_reducing_trade_pays_less_fee(env, alice, bob, chain):
    # Alice buys 20 calls: the pool goes short gamma. Bob's next buy adds gamma risk, a sale reduces it.
    _open(env, alice, chain, size=20 * WAD)
    snap = chain.snapshot()
    _, adding = _open(env, bob, chain, size=WAD)
    chain.restore(snap)
    _, reducing = _open(env, bob, chain, is_long=False, size=WAD, collateral=2_000 * QUOTE)
    assert reducing.fee < adding.fee
    notional = 2_000 * QUOTE
    assert reducing.fee >= notional * 2 // 10_000  # the floor (min fee rate 2 bp of notional)


def test_incremental_greeks_track_full_refresh(env, alice, bob, chain):
    env.pool.refreshGreeks(sender=alice)
    _open(env, alice, chain, size=5 * WAD)
    _open(env, bob, chain, strike_id=2, is_call=False, is_long=False, size=3 * WAD, collateral=5_000 * QUOTE)
    incremental = env.market.netGreeks()
    env.pool.refreshGreeks(sender=alice)
    full = env.market.netGreeks()
    # same vol for trading and valuation here, so the incremental update is exact up to rounding
    for name in ("delta", "gamma", "vega", "theta", "value"):
        a, b = getattr(incremental, name), getattr(full, name)
        assert abs(a - b) <= abs(b) * 1e-6, name  # seconds pass between the trades
    assert full.delta < 0  # pool short calls, long puts: negative delta from both


def test_keeper_snapshot_reports_book(env, alice, chain):
    _open(env, alice, chain, size=10 * WAD)
    env.pool.refreshGreeks(sender=alice)
    s = env.pool.keeperSnapshot()
    g = env.market.netGreeks()
    assert s.spot == 2_000 * WAD
    assert s.optionsDelta == g.delta < 0
    assert s.optionsGamma == g.gamma < 0
    assert s.netDelta == s.optionsDelta + s.hedgeSize
    assert s.hedgeMargin == 100_000 * QUOTE
    assert s.nearestExpiry == env.expiry
    assert s.expiredUnsettledBoards == 0
    assert s.greeksUpdatedAt == chain.blocks.head.timestamp
    assert s.freeCash == env.pool.freeCash()


def test_close_falls_back_to_realized_vol_when_surface_is_stale(env, alice, chain):
    _, ev = _open(env, alice, chain)
    env.advance(5 * 3_600, repost=False)  # the surface (max age 4 h) is now stale; spot is fresh
    with ape.reverts(env.oracle.StaleSurface):
        env.oracle.impliedVol(env.expiry, STRIKES[ATM])
    realized = env.oracle.realizedVol() / WAD
    tx = env.market.closePosition(ev.positionId, WAD, 0, deadline(chain), sender=alice)
    closed = tx.decode_logs(env.market.PositionClosed)[0]
    call, _ = bs_call_put(2_000, 2_000, env.tau(), realized)
    assert closed.premium / QUOTE == pytest.approx(call, rel=1e-5)


def test_fee_matches_documented_formula(env, alice, bob, chain):
    from reference import fee, gamma_vega

    # empty book: the pool's gamma and vega go from 0 to -size x greek
    _, ev = env.open(alice, size=4 * WAD)
    tau = env.tau()
    g, v = gamma_vega(2_000, 2_000, tau, 0.8)
    expected = fee(2_000, 0.8, tau, 4, 0, -4 * g, 0, -4 * v)
    assert ev.fee / QUOTE == pytest.approx(expected, rel=1e-6)
    # selling 1 back reduces |gamma| and |vega|: base fee minus the gamma and vega credit, floored
    _, sold = env.open(bob, is_long=False, size=WAD, collateral=2_000 * QUOTE)
    g2, v2 = gamma_vega(2_000, 2_000, env.tau(), 0.8)
    before = env.market.netGreeks()
    expected = fee(2_000, 0.8, env.tau(), 1, -4 * g, -4 * g + g2, -4 * v, -4 * v + v2)
    assert sold.fee / QUOTE == pytest.approx(expected, rel=1e-5)
    assert sold.fee == 2_000 * QUOTE * 2 // 10_000  # at the floor here
    assert before.gamma < 0
