"""A deployed pool on a 30-day board of 9 strikes around spot 2,000, LP capital of 1M and a funded hedge
account. Module-scoped: Ape's per-test snapshots isolate the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hedgekeeper.pool_setup import QUOTE, WAD, PoolContracts, deploy_pool, seed_pool

SPOT = 2_000
DAY = 86_400
STRIKES = [(1_600 + 100 * i) * WAD for i in range(9)]  # 1600 .. 2400, id 4 is ATM
ATM = 4
LP_CAPITAL = 1_000_000 * QUOTE
HEDGE_MARGIN = 100_000 * QUOTE


@dataclass
class Env:
    quote: Any
    feed: Any
    oracle: Any
    perp: Any
    pool: Any
    market: Any
    expiry: int
    deployer: Any

    def post_spot(self, usd: float) -> None:
        self.feed.setAnswer(int(usd * 10**8), sender=self.deployer)

    def fund(self, account: Any, amount: int = 1_000_000 * QUOTE) -> None:
        self.quote.mint(account, amount, sender=self.deployer)
        self.quote.approve(self.pool, 2**256 - 1, sender=account)


def deploy_env(project: Any, chain: Any, deployer: Any, test_oracle: bool = True) -> Env:
    quote = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", SPOT * 10**8)
    oracle = deployer.deploy(project.TestVolOracle, feed)
    perp = deployer.deploy(project.TestPerpMarket, quote, feed)
    c: PoolContracts = deploy_pool(project, deployer, quote, oracle, perp)
    expiry = chain.pending_timestamp + 30 * DAY
    c.market.addBoard(expiry, STRIKES, sender=deployer)
    seed_pool(c, quote, deployer, LP_CAPITAL, HEDGE_MARGIN)
    return Env(quote, feed, oracle, perp, c.pool, c.market, expiry, deployer)


def deadline(chain: Any) -> int:
    return chain.pending_timestamp + 600
