"""The pool's hedge account on the perp market: guardrails of hedge(), margin moves, roles."""

from __future__ import annotations

import ape
import pytest
from pool_env import ATM, QUOTE, WAD

LIMIT_BUY = 3_000 * WAD
LIMIT_SELL = 1_000 * WAD


@pytest.fixture
def book(env, alice):
    """Alice buys 10 ATM calls: the pool is short ~5.5 delta."""
    env.open(alice, strike_id=ATM, size=10 * WAD)
    env.pool.refreshGreeks(sender=alice)
    return env.pool.keeperSnapshot().netDelta


def _dl(env):
    return env.chain.pending_timestamp + 600


def test_hedge_moves_net_delta_toward_zero(env, deployer, book):
    assert book < -5 * WAD
    tx = env.pool.hedge(-book, LIMIT_BUY, _dl(env), sender=deployer)
    ev = tx.decode_logs(env.pool.Hedged)[0]
    s = env.pool.keeperSnapshot()
    assert s.hedgeSize == -book
    assert s.netDelta == 0 and ev.netDeltaAfter == 0
    assert ev.fillPrice == pytest.approx(2_000 * WAD, rel=0.01)


def test_hedge_wrong_direction_reverts(env, deployer, book):
    with ape.reverts(env.pool.HedgeWrongDirection, netDeltaBefore=book, netDeltaAfter=book - WAD):
        env.pool.hedge(-WAD, LIMIT_SELL, _dl(env), sender=deployer)
    assert env.pool.keeperSnapshot().hedgeSize == 0


def test_overshoot_beyond_tolerance_reverts_within_is_allowed(env, deployer, book):
    with ape.reverts(env.pool.HedgeWrongDirection):
        env.pool.hedge(-book + 2 * WAD, LIMIT_BUY, _dl(env), sender=deployer)
    env.pool.hedge(-book + WAD // 2, LIMIT_BUY, _dl(env), sender=deployer)
    assert env.pool.keeperSnapshot().netDelta == WAD // 2


def test_reducing_the_hedge_is_always_allowed(env, deployer, book):
    env.pool.hedge(-book, LIMIT_BUY, _dl(env), sender=deployer)
    # now net delta is 0; reducing the perp long moves it away from zero but is allowed
    env.pool.hedge(-2 * WAD, LIMIT_SELL, _dl(env), sender=deployer)
    assert env.pool.keeperSnapshot().netDelta == -2 * WAD
    # increasing the hedge past zero beyond tolerance is not
    with ape.reverts(env.pool.HedgeWrongDirection):
        env.pool.hedge(5 * WAD, LIMIT_BUY, _dl(env), sender=deployer)


def test_hedge_size_cap_limit_deadline_and_role(env, deployer, alice, book):
    with ape.reverts(env.pool.HedgeSizeAboveCap, size=101 * WAD, cap=100 * WAD):
        env.pool.hedge(101 * WAD, LIMIT_BUY, _dl(env), sender=deployer)
    with ape.reverts(env.pool.SizeZero):
        env.pool.hedge(0, LIMIT_BUY, _dl(env), sender=deployer)
    with ape.reverts(env.pool.DeadlinePassed):
        env.pool.hedge(WAD, LIMIT_BUY, 1, sender=deployer)
    with ape.reverts(env.perp.PriceBeyondLimit):
        env.pool.hedge(WAD, 1_900 * WAD, _dl(env), sender=deployer)
    with ape.reverts(env.pool.AccessControlUnauthorizedAccount, account=alice.address):
        env.pool.hedge(WAD, LIMIT_BUY, _dl(env), sender=alice)
    assert env.pool.keeperSnapshot().hedgeSize == 0


def test_adjust_hedge_margin(env, deployer, alice, book):
    free = env.pool.freeCash()
    env.pool.adjustHedgeMargin(10_000 * QUOTE, sender=deployer)
    assert env.pool.freeCash() == free - 10_000 * QUOTE
    assert env.pool.hedgeAccount().margin == 110_000 * QUOTE
    env.pool.adjustHedgeMargin(-20_000 * QUOTE, sender=deployer)
    assert env.pool.freeCash() == free + 10_000 * QUOTE
    with ape.reverts(env.pool.InsufficientFreeLiquidity):
        env.pool.adjustHedgeMargin(int(free + 10_001 * QUOTE), sender=deployer)
    with ape.reverts(env.pool.SizeZero):
        env.pool.adjustHedgeMargin(0, sender=deployer)
    with ape.reverts(env.pool.AccessControlUnauthorizedAccount):
        env.pool.adjustHedgeMargin(1, sender=alice)


def test_margin_withdrawal_keeps_buffer(env, deployer, book):
    env.pool.hedge(-book, LIMIT_BUY, _dl(env), sender=deployer)
    h = env.pool.hedgeAccount()
    # leave 1.8x maintenance: above the perp's initial margin (1.6x), below the pool's buffer (2x)
    take = h.equity - int(h.maintenance * 1.8)
    with ape.reverts(env.pool.HedgeMarginBelowBuffer):
        env.pool.adjustHedgeMargin(-take, sender=deployer)
    take = h.equity - int(h.maintenance * 2.2)
    env.pool.adjustHedgeMargin(-take, sender=deployer)
    assert env.pool.hedgeAccount().equity >= 2 * h.maintenance
