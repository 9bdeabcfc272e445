"""LP deposits and withdrawals, NAV, withdrawal fee, minimum holding period, circuit breaker."""

from __future__ import annotations

import ape
import pytest
from pool_env import ATM, DAY, HEDGE_MARGIN, LP_CAPITAL, QUOTE, WAD, check_invariants


@pytest.fixture
def who(alice, bob, deployer):
    return {a.address: a for a in (alice, bob, deployer)}


def test_seeded_nav_is_the_deposit(env, deployer, who):
    assert env.pool.nav() == LP_CAPITAL
    assert env.pool.freeCash() == LP_CAPITAL - HEDGE_MARGIN
    hedge = env.pool.hedgeAccount()
    assert hedge.margin == HEDGE_MARGIN and hedge.equity == HEDGE_MARGIN
    assert env.pool.balanceOf(deployer) == LP_CAPITAL * 10**12  # 12 decimals of offset
    check_invariants(env, who)


def test_nav_components_after_trades(env, alice, bob, who):
    _, a = env.open(alice, size=10 * WAD)
    _, b = env.open(bob, strike_id=2, is_call=False, is_long=False, size=5 * WAD, collateral=10_000 * QUOTE)
    env.pool.refreshGreeks(sender=alice)
    g = env.market.netGreeks()
    hedge = env.pool.hedgeAccount()
    expected = env.pool.freeCash() + hedge.equity + env.pool.settlementReceivable() + g.value // 10**12
    assert abs(env.pool.nav() - expected) <= 1
    # the pool sold calls at the implied vol and values them at the smoothed vol (equal here): NAV moves
    # by the fees only (and the premium rounding)
    fees = a.fee + b.fee
    assert abs(env.pool.nav() - (LP_CAPITAL + fees)) <= 2_000  # + theta over the seconds between blocks
    check_invariants(env, who)


def test_deposit_and_withdraw_with_fee(env, alice, who, chain):
    amount = 100_000 * QUOTE
    env.pool.deposit(amount, alice, sender=alice)
    shares = env.pool.balanceOf(alice)
    assert shares == amount * 10**12
    env.advance(DAY + 1)
    before = env.quote.balanceOf(alice)
    expected = env.pool.previewRedeem(shares)
    assert expected == pytest.approx(amount * (1 - 0.003), abs=2)
    env.pool.redeem(shares, alice, alice, sender=alice)
    assert env.quote.balanceOf(alice) - before == expected
    assert env.pool.nav() >= LP_CAPITAL + amount * 0.003 - 2  # the fee stays with the LPs
    check_invariants(env, who)


def test_withdraw_before_min_age_reverts(env, alice):
    env.pool.deposit(1_000 * QUOTE, alice, sender=alice)
    t0 = env.pool.lastDepositAt(alice)
    with ape.reverts(env.pool.DepositTooRecent, depositedAt=t0):
        env.pool.withdraw(100 * QUOTE, alice, alice, sender=alice)


def test_share_transfer_restarts_holding_period(env, alice, bob, deployer):
    env.advance(DAY + 1)
    env.pool.transfer(bob, 10**18, sender=deployer)
    with ape.reverts(env.pool.DepositTooRecent):
        env.pool.redeem(10**18, bob, bob, sender=bob)


def test_nav_stale_blocks_deposits(env, alice, chain):
    chain.pending_timestamp += 1_000  # navMaxAge is 900 s
    env.post_spot(2_000)
    t = env.market.netGreeks().updatedAt
    with ape.reverts(env.pool.NavStale, updatedAt=t):
        env.pool.deposit(1_000 * QUOTE, alice, sender=alice)
    assert env.pool.balanceOf(alice) == 0


def test_withdraw_beyond_free_liquidity_reverts(env, deployer, alice):
    env.advance(DAY + 1)
    free = env.pool.freeCash()
    with ape.reverts(env.pool.InsufficientFreeLiquidity, requested=free + 1, available=free):
        env.pool.withdraw(free + 1, deployer, deployer, sender=deployer)


def test_circuit_breaker_blocks_vault_and_opening_trades(env, deployer, alice, who):
    env.pool.setManualHalt(True, sender=deployer)
    with ape.reverts(env.pool.CircuitBreakerOn):
        env.pool.deposit(1_000 * QUOTE, alice, sender=alice)
    with ape.reverts(env.market.TradingHalted):
        env.open(alice)
    env.pool.setManualHalt(False, sender=deployer)
    env.open(alice)
    check_invariants(env, who)


def test_hedge_breach_trips_breaker_after_max_duration(env, deployer, alice):
    # 60 short calls: |net delta| ~ 33 < 50; 100 calls: ~ 55 > deltaBreachLimit (50)
    env.open(alice, strike_id=ATM, size=100 * WAD)
    env.pool.refreshGreeks(sender=alice)
    since = env.pool.hedgeBreachSince()
    assert since > 0 and not env.pool.circuitBreakerOn()
    env.advance(3_601)
    assert env.pool.circuitBreakerOn()
    with ape.reverts(env.market.TradingHalted):
        env.open(alice)
    # hedging brings the net delta back inside the limit and clears the breaker
    s = env.pool.keeperSnapshot()
    size = -s.netDelta  # buy perp for a short-call book
    env.pool.hedge(size, 3_000 * WAD, env.chain.pending_timestamp + 600, sender=deployer)
    assert env.pool.hedgeBreachSince() == 0 and not env.pool.circuitBreakerOn()
