"""Gas of the perp market: whole transactions, 21,000 base included. Accounts that already hold margin
open, modify and close positions on a market with other open interest; `perp.liquidate.tx` is a partial
liquidation, `perp.liquidate_full.tx` a full one of a bankrupt account covered by the insurance fund,
`perp.liquidate_shortfall.tx` a full one whose shortfall exceeds the insurance fund (the rest becomes
pending deleveraging debt) on a market with 60+ registered accounts, and `perp.deleverage.tx` the
settlement of that debt against the best-ranked profitable short. The first deposit of an account also
registers it in the scanned account list."""

from __future__ import annotations

from typing import Any

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS

WAD = 10**18
DEADLINE = 2**63
ANY_PRICE = 2**200


def measure(project: Any, accounts: Any) -> dict[str, int]:
    deployer, alice, bob, carol = accounts[0], accounts[1], accounts[2], accounts[3]
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    market = deployer.deploy(project.PerpMarket, token, feed, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    for who in (alice, bob, carol):
        token.mint(who, 10**12, sender=deployer)
        token.approve(market, 2**256 - 1, sender=who)
    deposit = market.deposit(100_000 * 10**6, sender=alice)
    market.deposit(100_000 * 10**6, sender=bob)
    market.deposit(25_000 * 10**6, sender=carol)
    market.trade(-20 * WAD, 0, DEADLINE, sender=bob)
    open_ = market.trade(10 * WAD, ANY_PRICE, DEADLINE, sender=alice)
    modify = market.trade(5 * WAD, ANY_PRICE, DEADLINE, sender=alice)
    close = market.trade(-15 * WAD, 0, DEADLINE, sender=alice)
    market.trade(120 * WAD, ANY_PRICE, DEADLINE, sender=carol)  # ~240k notional on 25k margin
    feed.setAnswer(1_850 * 10**8, sender=deployer)
    liquidate = market.liquidate(carol, sender=bob)
    # a small long gone bankrupt, closed fully, its shortfall paid by the insurance fund
    dave = accounts[4]
    token.mint(dave, 10**12, sender=deployer)
    token.approve(market, 2**256 - 1, sender=dave)
    market.fundInsurance(10_000 * 10**6, sender=dave)
    market.deposit(850 * 10**6, sender=dave)
    feed.setAnswer(2_000 * 10**8, sender=deployer)
    market.trade(4 * WAD, ANY_PRICE, DEADLINE, sender=dave)
    feed.setAnswer(1_700 * 10**8, sender=deployer)
    liquidate_full = market.liquidate(dave, sender=bob)
    # 60 more accounts, small profitable shorts once the price falls; then a big long beyond insurance
    feed.setAnswer(2_000 * 10**8, sender=deployer)
    crowd = deployer.deploy(project.PerpCrowdHarness)
    crowd.join(market, token, 60, 10_000 * 10**6, -WAD // 2, sender=deployer)
    erin = accounts[5]
    token.mint(erin, 10**12, sender=deployer)
    token.approve(market, 2**256 - 1, sender=erin)
    market.deposit(20_000 * 10**6, sender=erin)
    market.trade(100 * WAD, ANY_PRICE, DEADLINE, sender=erin)
    feed.setAnswer(1_650 * 10**8, sender=deployer)
    liquidate_shortfall = market.liquidate(erin, sender=bob)
    if not liquidate_shortfall.events.filter(market.DeleverageDebtRecorded):
        raise AssertionError("the shortfall benchmark must leave pending debt")
    found, sizes, scores = market.deleverageCandidates(0, market.accountCount())
    shorts = sorted((sc, a) for a, sz, sc in zip(found, sizes, scores) if sz < 0)
    deleverage = market.deleverage([shorts[-1][1]], sender=carol)
    return {
        "perp.deposit.tx": int(deposit.gas_used),
        "perp.open.tx": int(open_.gas_used),
        "perp.modify.tx": int(modify.gas_used),
        "perp.close.tx": int(close.gas_used),
        "perp.liquidate.tx": int(liquidate.gas_used),
        "perp.liquidate_full.tx": int(liquidate_full.gas_used),
        "perp.liquidate_shortfall.tx": int(liquidate_shortfall.gas_used),
        "perp.deleverage.tx": int(deleverage.gas_used),
    }
