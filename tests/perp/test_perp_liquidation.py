"""Liquidation paths one by one: partial back to initial margin, full when small, insurance-covered
bankruptcy, scans and bad input (shortfalls beyond the insurance fund: test_perp_deleverage.py)."""

from __future__ import annotations

import ape

from perp_helpers import assert_conserved, deploy_market, set_price
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS as P
from perp_reference import WAD, requirement, usd

DEADLINE = 2**63
ANY = 2**200


def test_partial_liquidation_restores_initial_margin(perp, traders, deployer):
    token, feed, market = perp
    carol, bob, keeper = traders[0], traders[1], traders[2]
    market.deposit(usd(100_000), sender=bob)
    market.trade(-20 * WAD, 0, DEADLINE, sender=bob)
    market.deposit(usd(25_000), sender=carol)
    market.trade(120 * WAD, ANY, DEADLINE, sender=carol)
    with ape.reverts(market.NotLiquidatable):
        market.liquidate(carol, sender=keeper)
    set_price(feed, deployer, 1_850)
    assert list(market.liquidatableAccounts(0, 10)) == [carol]
    mark_before = market.markPrice()
    insurance_before = market.ledger().insuranceFund
    keeper_before = token.balanceOf(keeper)
    tx = market.liquidate(carol, sender=keeper)
    ev = tx.events.filter(market.PositionLiquidated)[0]
    size, margin, equity, mm = market.accountSummary(carol)
    assert 0 < ev.remainingSize == size < 120 * WAD  # partial
    assert ev.sizeClosed == 120 * WAD - size
    assert market.markPrice() < mark_before  # the forced sale moved the mark
    im = market.initialMarginOf(carol)
    assert equity >= im  # back to initial margin ...
    assert equity - im < im // 1000  # ... and not above it: just enough was closed
    assert token.balanceOf(keeper) == keeper_before + ev.reward > keeper_before
    assert market.ledger().insuranceFund == insurance_before + ev.penalty
    notional = ev.sizeClosed * ev.fillPrice // 10**30
    assert ev.reward == notional * P.liquidation_reward_ratio // WAD
    assert ev.penalty == notional * P.liquidation_penalty_ratio // WAD
    assert list(market.liquidatableAccounts(0, 10)) == []
    assert_conserved(token, market)


def test_small_position_liquidated_fully(perp, traders, deployer):
    token, feed, market = perp
    a, keeper = traders[0], traders[2]
    market.deposit(usd(850), sender=a)
    market.trade(4 * WAD, ANY, DEADLINE, sender=a)  # 8k notional < 10k partial threshold
    set_price(feed, deployer, 1_870)
    tx = market.liquidate(a, sender=keeper)
    ev = tx.events.filter(market.PositionLiquidated)[0]
    assert ev.sizeClosed == 4 * WAD and ev.remainingSize == 0
    assert market.positionOf(a)[0] == 0
    assert market.positionOf(a)[1] == ev.margin > 0  # solvent: keeps what is left after reward+penalty
    assert_conserved(token, market)


def test_bankrupt_loss_covered_by_insurance(perp, traders, deployer):
    token, feed, market = perp
    a, keeper = traders[0], traders[2]
    market.fundInsurance(usd(10_000), sender=deployer)
    market.deposit(usd(21_000), sender=a)
    market.trade(100 * WAD, ANY, DEADLINE, sender=a)
    set_price(feed, deployer, 1_750)  # loss ~25k > margin
    _, margin, equity, _ = market.accountSummary(a)
    assert equity < 0
    keeper_before = token.balanceOf(keeper)
    tx = market.liquidate(a, sender=keeper)
    ev = tx.events.filter(market.PositionLiquidated)[0]
    cov = tx.events.filter(market.BadDebtCovered)[0]
    last = market.positionOf(a)[2]
    assert ev.remainingSize == 0 and ev.margin == 0 and ev.penalty == 0
    # shortfall = loss at the fill beyond the margin
    size = 100 * WAD
    entry = tx.events.filter(market.PositionLiquidated)[0].fillPrice
    assert last == entry
    led = market.ledger()
    assert cov.amount == led.cumulativeBadDebtCovered > 0
    # the fund pays the loss beyond margin and the reward the account could not pay
    assert led.insuranceFund == usd(10_000) - cov.amount
    assert token.balanceOf(keeper) == keeper_before + ev.reward > keeper_before
    assert ev.reward == size * entry // 10**30 * P.liquidation_reward_ratio // WAD
    assert led.pendingDebtLongs == led.cumulativeDebtRecorded == 0
    assert not tx.events.filter(market.DeleverageDebtRecorded)
    assert_conserved(token, market)
    del size, margin


def test_liquidation_rejects_bad_input(perp, traders, deployer, chain):
    token, feed, market = perp
    a, keeper = traders[0], traders[2]
    with ape.reverts(market.NoPosition, account=a.address):
        market.liquidate(a, sender=keeper)
    market.deposit(usd(50_000), sender=a)
    market.trade(10 * WAD, ANY, DEADLINE, sender=a)
    _, _, equity, mm = market.accountSummary(a)
    state = (token.balanceOf(market), market.positionOf(a), market.ledger())
    with ape.reverts(market.NotLiquidatable, account=a.address, maintenanceMargin=mm):
        market.liquidate(a, sender=keeper)
    feed.setAnswerAt(1_000 * 10**8, chain.pending_timestamp - P.max_oracle_age - 1, sender=deployer)
    with ape.reverts(market.StaleOraclePrice):
        market.liquidate(a, sender=keeper)
    with ape.reverts(market.StaleOraclePrice):
        market.liquidatableAccounts(0, 10)
    assert (token.balanceOf(market), market.positionOf(a), market.ledger()) == state
    del equity


def test_liquidatable_scan_pages(perp, traders, deployer):
    _, feed, market = perp
    for who, margin in zip(traders[:4], [2_100, 50_000, 2_150, 50_000]):
        market.deposit(usd(margin), sender=who)
        market.trade(10 * WAD, ANY, DEADLINE, sender=who)
    set_price(feed, deployer, 1_900)
    assert list(market.liquidatableAccounts(0, 10)) == [traders[0], traders[2]]
    assert list(market.liquidatableAccounts(1, 2)) == [traders[2]]
    assert list(market.liquidatableAccounts(1, 1)) == []
    assert list(market.liquidatableAccounts(4, 10)) == []
    assert list(market.liquidatableAccounts(100, 10)) == []
    assert list(market.liquidatableAccounts(1, 2**256 - 1)) == [traders[2]]
    assert list(market.liquidatableAccounts(0, 0)) == []
    for who in traders[:4]:
        size, _, equity, mm = market.accountSummary(who)
        assert (equity < mm) == (who in (traders[0], traders[2]))
        assert mm == requirement(size, market.markPrice(), P.maintenance_margin_ratio)


def test_invalid_oracle_answer_rejected(project, deployer, traders):
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.RawAggregatorHarness, 8)
    market = deployer.deploy(project.PerpMarket, token, feed, P.as_tuple(), deployer)
    feed.set(0, sender=deployer)
    with ape.reverts(market.InvalidOraclePrice, answer=0):
        market.indexPrice()
    feed.set(-5, sender=deployer)
    token.mint(traders[0], usd(1_000), sender=deployer)
    token.approve(market, usd(1_000), sender=traders[0])
    market.deposit(usd(1_000), sender=traders[0])
    with ape.reverts(market.InvalidOraclePrice, answer=-5):
        market.trade(WAD, ANY, DEADLINE, sender=traders[0])
    assert market.positionOf(traders[0])[0] == 0


def test_partial_liquidation_of_a_short(perp, traders, deployer):
    token, feed, market = perp
    dave, bob, keeper = traders[3], traders[1], traders[2]
    market.deposit(usd(100_000), sender=bob)
    market.trade(30 * WAD, ANY, DEADLINE, sender=bob)
    market.deposit(usd(30_000), sender=dave)
    market.trade(-150 * WAD, 0, DEADLINE, sender=dave)
    set_price(feed, deployer, 2_140)
    assert list(market.liquidatableAccounts(0, 10)) == [dave]
    mark_before = market.markPrice()
    tx = market.liquidate(dave, sender=keeper)
    ev = tx.events.filter(market.PositionLiquidated)[0]
    size, _, equity, _ = market.accountSummary(dave)
    assert -150 * WAD < size == ev.remainingSize < 0
    assert market.markPrice() > mark_before  # the forced buy moved the mark up
    im = market.initialMarginOf(dave)
    assert im <= equity < im + im // 1000
    assert_conserved(token, market)
