"""Short positions: initial and maintenance margin against a brute-force grid scan, collateral changes,
liquidation with the penalty split, and the shortfall waterfall (insurance fund, then LPs)."""

from __future__ import annotations

import ape
import pytest
from pool_env import QUOTE, STRIKES, WAD, check_invariants, deadline
from reference import maintenance

PUT_1800 = 2


@pytest.fixture
def who(alice, bob, deployer):
    return {a.address: a for a in (alice, bob, deployer)}


def _required(env, strike_id, is_call, size_units, factor=1.2):
    vol = env.oracle.smoothedImpliedVol(env.expiry, STRIKES[strike_id]) / WAD
    spot = env.oracle.spotPrice()[0] / WAD
    return maintenance(spot, STRIKES[strike_id] / WAD, env.tau(), vol, is_call, size_units) * factor


def test_initial_margin_matches_grid_scan(env, alice):
    ref = _required(env, PUT_1800, False, 5)
    with ape.reverts(env.market.CollateralBelowInitialMargin, collateral=int(ref * QUOTE * 0.9999)):
        env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=int(ref * QUOTE * 0.9999))
    assert env.market.numPositions() == 0
    env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=int(ref * QUOTE * 1.0001))
    assert env.pool.traderCollateral() == int(ref * QUOTE * 1.0001)


def test_call_margin_matches_grid_scan(env, alice):
    ref = _required(env, 6, True, 2)
    env.open(alice, strike_id=6, is_call=True, is_long=False, size=2 * WAD, collateral=int(ref * QUOTE * 1.0001))
    with ape.reverts(env.market.CollateralBelowInitialMargin):
        env.open(alice, strike_id=6, is_call=True, is_long=False, size=2 * WAD, collateral=int(ref * QUOTE * 0.9999))


def test_maintenance_view_matches_grid_scan(env, alice):
    _, ev = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=5_000 * QUOTE)
    ref = _required(env, PUT_1800, False, 5, factor=1.0)
    assert env.market.maintenanceMargin(ev.positionId) == pytest.approx(ref * QUOTE, rel=1e-6)


def test_add_and_remove_collateral(env, alice, bob, who):
    _, ev = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=WAD, collateral=2_000 * QUOTE)
    pid = ev.positionId
    env.market.addCollateral(pid, 500 * QUOTE, sender=bob)  # anyone may top up
    assert env.market.position(pid).collateral == 2_500 * QUOTE
    bal = env.quote.balanceOf(alice)
    env.market.removeCollateral(pid, 300 * QUOTE, sender=alice)
    assert env.quote.balanceOf(alice) == bal + 300 * QUOTE
    assert env.pool.traderCollateral() == 2_200 * QUOTE
    with ape.reverts(env.market.CollateralBelowInitialMargin):
        env.market.removeCollateral(pid, 2_000 * QUOTE, sender=alice)
    with ape.reverts(env.market.NotPositionOwner):
        env.market.removeCollateral(pid, 1, sender=bob)
    check_invariants(env, who)


def test_short_close_releases_collateral(env, alice, who):
    bal = env.quote.balanceOf(alice)
    _, ev = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=2 * WAD, collateral=3_000 * QUOTE)
    tx = env.market.closePosition(ev.positionId, WAD, 2**256 - 1, deadline(env.chain), sender=alice)
    c = tx.decode_logs(env.market.PositionClosed)[0]
    assert c.collateralReleased == 1_500 * QUOTE
    env.market.closePosition(ev.positionId, WAD, 2**256 - 1, deadline(env.chain), sender=alice)
    assert env.pool.traderCollateral() == 0
    assert env.quote.balanceOf(alice) < bal  # fees and spread, both ways
    check_invariants(env, who)


def test_liquidation_with_penalty_split(env, alice, bob, who):
    _, ev = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=3_000 * QUOTE)
    pid = ev.positionId
    assert pid not in env.pool.liquidatableShorts(0, 10)
    with ape.reverts(env.market.NotLiquidatable):
        env.pool.liquidateShort(pid, sender=bob)
    env.advance(600, usd=1_700)
    assert pid in env.pool.liquidatableShorts(0, 10)
    check_invariants(env, who)
    alice_bal, bob_bal, ins = env.quote.balanceOf(alice), env.quote.balanceOf(bob), env.pool.insuranceFund()
    tx = env.pool.liquidateShort(pid, sender=bob)
    ev = tx.decode_logs(env.market.PositionLiquidated)[0]
    assert ev.liquidator == bob.address
    penalty = ev.liquidatorReward + ev.insuranceFee + ev.lpFee
    assert penalty == min(ev.buybackCost // 10, 3_000 * QUOTE - ev.buybackCost)
    assert ev.liquidatorReward == penalty // 2
    assert env.quote.balanceOf(bob) == bob_bal + ev.liquidatorReward
    assert env.pool.insuranceFund() == ins + ev.insuranceFee
    assert env.quote.balanceOf(alice) == alice_bal + ev.returnedToOwner
    assert ev.buybackCost + penalty + ev.returnedToOwner == 3_000 * QUOTE
    assert env.market.position(pid).size == 0
    assert env.market.strike(PUT_1800).shortPuts == 0
    check_invariants(env, who)


def test_shortfall_goes_to_insurance_then_lps(env, alice, bob, deployer, who):
    # a first liquidation funds the insurance fund
    _, a = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=3_000 * QUOTE)
    _, b = env.open(bob, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=3_000 * QUOTE)
    env.advance(600, usd=1_700)
    env.pool.liquidateShort(a.positionId, sender=deployer)
    fund = env.pool.insuranceFund()
    assert fund > 0
    env.advance(600, usd=1_000)  # Bob's collateral no longer covers the buy-back
    nav_before = env.pool.nav()
    tx = env.pool.liquidateShort(b.positionId, sender=deployer)
    liq = tx.decode_logs(env.market.PositionLiquidated)[0]
    cover = tx.decode_logs(env.market.ShortfallCovered)[0]
    shortfall = liq.buybackCost - 3_000 * QUOTE
    assert cover.fromInsurance == min(fund, shortfall)
    assert cover.fromInsurance + cover.fromLps == shortfall
    assert env.pool.insuranceFund() == fund - cover.fromInsurance
    assert liq.returnedToOwner == 0 and liq.liquidatorReward == 0
    env.pool.refreshGreeks(sender=deployer)
    # the LPs lose the uncovered part only (up to a second of theta)
    assert env.pool.nav() - nav_before == pytest.approx(-cover.fromLps, abs=QUOTE)
    check_invariants(env, who)


@pytest.mark.anvil
def test_liquidation_on_anvil(project, chain, deployer, alice, bob):
    """The same flow on anvil: a short put falls below maintenance after a drop and is liquidated."""
    from pool_env import deploy_env

    env = deploy_env(project, chain, deployer)
    env.fund(alice)
    _, ev = env.open(alice, strike_id=PUT_1800, is_call=False, is_long=False, size=5 * WAD, collateral=3_000 * QUOTE)
    env.advance(600, usd=1_700)
    assert ev.positionId in env.pool.liquidatableShorts(0, 10)
    tx = env.pool.liquidateShort(ev.positionId, sender=bob)
    liq = tx.decode_logs(env.market.PositionLiquidated)[0]
    assert liq.buybackCost + liq.liquidatorReward + liq.insuranceFee + liq.lpFee + liq.returnedToOwner == 3_000 * QUOTE
    check_invariants(env, {a.address: a for a in (alice, bob, deployer)})
