"""Fixtures for the perp market: one module-scoped deployment (token, feed, market), funded traders, and a
conservation check that sums the ledger over every account."""

from __future__ import annotations

import pytest

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, PerpParameters
from perp_reference import WAD, usd

FEED_DECIMALS = 8
START_PRICE = 2_000


@pytest.fixture(scope="module")
def traders(accounts):
    return [accounts[i] for i in range(3, 9)]


def deploy_market(project, deployer, traders, params: PerpParameters = DEFAULT_PERP_PARAMETERS, fund: int = usd(1_000_000)):
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", START_PRICE * 10**FEED_DECIMALS)
    market = deployer.deploy(project.PerpMarket, token, feed, params.as_tuple(), deployer)
    for who in [deployer, *traders]:
        token.mint(who, fund, sender=deployer)
        token.approve(market, 2**256 - 1, sender=who)
    return token, feed, market


@pytest.fixture(scope="module")
def perp(project, deployer, traders):
    return deploy_market(project, deployer, traders)


def set_price(feed, deployer, price_usd: float) -> None:
    feed.setAnswer(int(round(price_usd * 10**FEED_DECIMALS)), sender=deployer)


def assert_conserved(token, market) -> None:
    """token.balanceOf(market) == sum of margins + feePool + insuranceFund + marketPnl, exactly."""
    margins = sum(market.positionOf(market.accountAt(i))[1] for i in range(market.accountCount()))
    led = market.ledger()
    total = margins + led.feePool + led.insuranceFund + led.marketPnl
    assert token.balanceOf(market) == total, (token.balanceOf(market), margins, led)
    long_, short_ = market.openInterest()
    sizes = [market.positionOf(market.accountAt(i))[0] for i in range(market.accountCount())]
    assert long_ == sum(s for s in sizes if s > 0)
    assert short_ == -sum(s for s in sizes if s < 0)
    assert market.skew() == long_ - short_


__all__ = ["WAD", "usd", "deploy_market", "set_price", "assert_conserved"]
