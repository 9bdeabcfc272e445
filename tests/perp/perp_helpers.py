"""Helpers shared by the perp tests: deployment of a market with funded traders, feed moves, and the
conservation check that sums the ledger over every account."""

from __future__ import annotations

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, PerpParameters
from perp_reference import usd

FEED_DECIMALS = 8
START_PRICE = 2_000


def deploy_market(project, deployer, traders, params: PerpParameters = DEFAULT_PERP_PARAMETERS, fund: int = usd(1_000_000)):
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", START_PRICE * 10**FEED_DECIMALS)
    market = deployer.deploy(project.PerpMarket, token, feed, params.as_tuple(), deployer)
    for who in [deployer, *traders]:
        token.mint(who, fund, sender=deployer)
        token.approve(market, 2**256 - 1, sender=who)
    return token, feed, market


def set_price(feed, deployer, price_usd: float) -> None:
    feed.setAnswer(int(round(price_usd * 10**FEED_DECIMALS)), sender=deployer)


def assert_conserved(token, market) -> None:
    """token.balanceOf(market) == sum of margins + feePool + insuranceFund + marketPnl - pending debts,
    exactly; the debt ledger adds up; open interest matches the sizes."""
    margins = sum(market.positionOf(market.accountAt(i))[1] for i in range(market.accountCount()))
    led = market.ledger()
    total = margins + led.feePool + led.insuranceFund + led.marketPnl - led.pendingDebtLongs - led.pendingDebtShorts
    assert token.balanceOf(market) == total, (token.balanceOf(market), margins, led)
    assert led.cumulativeDebtRecorded == (
        led.pendingDebtLongs + led.pendingDebtShorts + led.cumulativeDebtRepaid + led.cumulativeAdlLoss
    )
    long_, short_ = market.openInterest()
    sizes = [market.positionOf(market.accountAt(i))[0] for i in range(market.accountCount())]
    assert long_ == sum(s for s in sizes if s > 0)
    assert short_ == -sum(s for s in sizes if s < 0)
    assert market.skew() == long_ - short_
