"""The deploy step puts the perp market on the local feed and quote token with the local parameters and a
seeded insurance fund; the market trades on py-evm and on anvil."""

from __future__ import annotations

import pytest

from hedgekeeper.deploy import deploy_protocol
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED
from perp_reference import WAD, usd


def _deploy_and_trade(project, chain, deployer, trader):
    dep = deploy_protocol(project, chain, deployer)
    market = project.PerpMarket.at(dep.contract("PerpMarket").address)
    token = project.MockStablecoin.at(dep.contract("MockStablecoin").address)
    assert market.quoteToken() == token.address
    assert market.priceFeed() == dep.contract("MockAggregator").address
    assert tuple(market.parameters()) == DEFAULT_PERP_PARAMETERS.as_tuple()
    assert market.ledger().insuranceFund == INSURANCE_SEED
    # the market also holds the options pool's hedge margin, seeded by the deploy step
    assert token.balanceOf(market) == INSURANCE_SEED + dep.parameters["pool"]["hedge_margin"]
    assert market.indexPrice() == market.markPrice() == 2_000 * WAD
    assert dep.parameters["perp"]["skew_scale"] == DEFAULT_PERP_PARAMETERS.skew_scale
    token.mint(trader, usd(100_000), sender=deployer)
    token.approve(market, usd(100_000), sender=trader)
    market.deposit(usd(100_000), sender=trader)
    market.trade(100 * WAD, 2**200, 2**63, sender=trader)
    moved = (market.markPrice() - 2_000 * WAD) / (2_000 * WAD)
    assert 0.001 <= moved <= 0.005  # a 100 ETH trade moves the mark by 0.1-0.5%
    assert market.positionOf(trader)[0] == 100 * WAD


def test_deploy_includes_perp_market_pyevm(project, chain, deployer, alice):
    _deploy_and_trade(project, chain, deployer, alice)


@pytest.mark.anvil
def test_deploy_includes_perp_market_anvil(project, chain, deployer, alice):
    assert chain.provider.name == "foundry"
    _deploy_and_trade(project, chain, deployer, alice)


@pytest.mark.anvil
def test_liquidation_moves_the_mark_on_anvil(project, accounts, deployer):
    from perp_helpers import assert_conserved, deploy_market, set_price

    trader, keeper = accounts[3], accounts[4]
    token, feed, market = deploy_market(project, deployer, [trader, keeper])
    market.deposit(usd(25_000), sender=trader)
    market.trade(120 * WAD, 2**200, 2**63, sender=trader)
    set_price(feed, deployer, 1_850)
    assert list(market.liquidatableAccounts(0, 10)) == [trader]
    before = market.markPrice()
    tx = market.liquidate(trader, sender=keeper)
    assert tx.events.filter(market.PositionLiquidated)[0].remainingSize > 0
    assert market.markPrice() < before
    assert market.equityOf(trader) >= market.initialMarginOf(trader)
    assert_conserved(token, market)
