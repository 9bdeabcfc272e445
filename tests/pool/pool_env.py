"""The pool test environment: quote token, feed, the real VolatilityOracle and PerpMarket, and the pool on a
30-day board of 9 strikes around spot 2,000, LP capital of 1M and a funded hedge account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED
from hedgekeeper.pool_setup import (
    QUOTE,
    WAD,
    PoolContracts,
    deploy_oracle,
    deploy_pool,
    post_flat_surfaces,
    seed_pool,
)

SPOT = 2_000
DAY = 86_400
YEAR = 365 * DAY
STRIKES = [(1_600 + 100 * i) * WAD for i in range(9)]  # 1600 .. 2400, id 4 is ATM
ATM = 4
LP_CAPITAL = 1_000_000 * QUOTE
HEDGE_MARGIN = 100_000 * QUOTE
MAX = 2**256 - 1

__all__ = ["ATM", "DAY", "MAX", "QUOTE", "SPOT", "STRIKES", "WAD", "YEAR", "Env", "deadline", "deploy_env"]


@dataclass
class Env:
    chain: Any
    quote: Any
    feed: Any
    oracle: Any
    perp: Any
    pool: Any
    market: Any
    expiry: int
    deployer: Any

    def post_spot(self, usd: float) -> None:
        """Posts `usd` to the feed and folds it into the oracle (next block)."""
        self.feed.setAnswer(int(round(usd * 10**8)), sender=self.deployer)
        self.oracle.update(sender=self.deployer)

    def advance(self, seconds: int, usd: float = SPOT, repost: bool = True) -> None:
        """Moves time forward, posts a fresh spot, reposts the surfaces of unexpired boards and refreshes
        the pool's greeks."""
        self.chain.pending_timestamp += seconds
        self.post_spot(usd)
        if repost:
            live = [e for e in self.expiries() if e > self.chain.pending_timestamp + 60]
            if live:
                post_flat_surfaces(self.oracle, self.deployer, live)
        self.pool.refreshGreeks(sender=self.deployer)

    def expiries(self) -> list[int]:
        return [self.market.board(i).expiry for i in self.market.activeBoards()]

    def fund(self, account: Any, amount: int = 1_000_000 * QUOTE) -> None:
        self.quote.mint(account, amount, sender=self.deployer)
        self.quote.approve(self.pool, MAX, sender=account)

    def open(self, who, strike_id=ATM, is_call=True, is_long=True, size=WAD, collateral=0, limit=None):
        if limit is None:
            limit = MAX if is_long else 0
        tx = self.market.openPosition(
            strike_id, is_call, is_long, size, collateral, limit, deadline(self.chain), sender=who
        )
        return tx, tx.decode_logs(self.market.PositionOpened)[0]

    def tau(self) -> float:
        return (self.expiry - self.chain.blocks.head.timestamp) / YEAR


def deploy_env(project: Any, chain: Any, deployer: Any) -> Env:
    quote = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", SPOT * 10**8)
    oracle = deploy_oracle(project, deployer, feed)
    perp = deployer.deploy(project.PerpMarket, quote, feed, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    quote.mint(deployer, INSURANCE_SEED, sender=deployer)
    quote.approve(perp, INSURANCE_SEED, sender=deployer)
    perp.fundInsurance(INSURANCE_SEED, sender=deployer)
    c: PoolContracts = deploy_pool(project, deployer, quote, oracle, perp)
    expiry = chain.pending_timestamp + 30 * DAY
    c.market.addBoard(expiry, STRIKES, sender=deployer)
    post_flat_surfaces(oracle, deployer, [expiry])
    seed_pool(c, quote, deployer, LP_CAPITAL, HEDGE_MARGIN)
    return Env(chain, quote, feed, oracle, perp, c.pool, c.market, expiry, deployer)


def deadline(chain: Any) -> int:
    return chain.pending_timestamp + 600


def check_invariants(env: Env, accounts: dict[str, Any]) -> None:
    """The pool's invariants, checked after operations:
    - its token balance covers trader collateral + insurance fund + settlement payable (free cash >= 0);
    - trader collateral equals the sum of the open shorts' collateral;
    - shares x NAV per share = NAV (totalAssets = max(nav, 0) and convertToAssets(totalSupply) matches it);
    - every open short is above maintenance or listed by liquidatableShorts;
    - every open position of an unexpired board can be closed now (static call by its owner)."""
    pool, market = env.pool, env.market
    bal = env.quote.balanceOf(pool)
    reserved = pool.traderCollateral() + pool.insuranceFund() + pool.settlementPayable()
    assert bal >= reserved
    assert pool.freeCash() == bal - reserved
    nav = pool.nav()
    assert pool.totalAssets() == max(nav, 0)
    supply = pool.totalSupply()
    if supply:
        assert abs(pool.convertToAssets(supply) - pool.totalAssets()) <= 1
    n = market.numPositions()
    liquidatable = set(pool.liquidatableShorts(0, n))
    collateral = 0
    for pid in range(n):
        pos = market.position(pid)
        if pos.size == 0:
            continue
        board = market.board(market.strike(pos.strikeId).boardId)
        if not pos.isLong and not board.settled:
            collateral += pos.collateral
            maint = market.maintenanceMargin(pid)
            assert pos.collateral >= maint or pid in liquidatable, pid
        if board.expiry > env.chain.pending_timestamp + 1:
            owner = accounts[pos.owner]
            limit = 0 if pos.isLong else MAX
            market.closePosition.call(pid, pos.size, limit, deadline(env.chain), sender=owner)
    assert pool.traderCollateral() == collateral
