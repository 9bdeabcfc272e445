"""A complete local protocol for the keeper's end-to-end test and latency benchmark, deployed with Ape on
whatever network Ape is connected to: quote token, feed, VolatilityOracle, PerpMarket (seeded insurance),
OptionsPool + OptionMarket (hedgekeeper.pool_setup parameters) with one 30-day board of 9 strikes, an LP
deposit, a funded hedge account, the pool's keeper role and the oracle's surface keeper role for the given accounts and a trader long at-the-money calls
(so the pool is short gamma). Writes the deployment file the keeper reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED
from hedgekeeper.pool_setup import QUOTE, WAD, deploy_oracle, deploy_pool, post_flat_surfaces, seed_pool

STRIKES = [(1_600 + 100 * i) * WAD for i in range(9)]
ATM = 4
LP_CAPITAL = 1_000_000 * QUOTE
HEDGE_MARGIN = 100_000 * QUOTE
MAX = 2**256 - 1


@dataclass
class LocalProtocol:
    quote: Any
    feed: Any
    oracle: Any
    perp: Any
    pool: Any
    market: Any
    expiry: int
    deployment: Path


def _describe(contract: Any) -> DeployedContract:
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
    return DeployedContract(address=str(contract.address), abi=abi)


def deploy_local_protocol(project: Any, chain: Any, deployer: Any, trader: Any, keepers: list[str], out: Path,
                          long_calls: int = 20, insurance_seed: int = INSURANCE_SEED) -> LocalProtocol:
    """`insurance_seed` (quote units) seeds the perp's insurance fund (0: none, so shortfalls become pending debt)."""
    quote = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    oracle = deploy_oracle(project, deployer, feed)
    perp = deployer.deploy(project.PerpMarket, quote, feed, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    if insurance_seed:
        quote.mint(deployer, insurance_seed, sender=deployer)
        quote.approve(perp, insurance_seed, sender=deployer)
        perp.fundInsurance(insurance_seed, sender=deployer)
    c = deploy_pool(project, deployer, quote, oracle, perp)
    expiry = int(chain.pending_timestamp + 30 * 86_400)
    c.market.addBoard(expiry, STRIKES, sender=deployer)
    post_flat_surfaces(oracle, deployer, [expiry])
    seed_pool(c, quote, deployer, LP_CAPITAL, HEDGE_MARGIN)
    for keeper in keepers:
        c.pool.grantRole(c.pool.KEEPER_ROLE(), keeper, sender=deployer)
        oracle.grantRole(oracle.SURFACE_KEEPER_ROLE(), keeper, sender=deployer)
    quote.mint(trader, 1_000_000 * QUOTE, sender=deployer)
    quote.approve(c.pool, MAX, sender=trader)
    c.market.openPosition(ATM, True, True, long_calls * WAD, 0, MAX, chain.pending_timestamp + 600, sender=trader)
    contracts = {"OptionsPool": c.pool, "OptionMarket": c.market, "PerpMarket": perp, "VolatilityOracle": oracle,
                 "MockAggregator": feed, "MockStablecoin": quote}
    Deployment(chain_id=chain.chain_id, block=0, deployer=str(deployer.address),
               contracts={n: _describe(x) for n, x in contracts.items()}).write(out)
    return LocalProtocol(quote, feed, oracle, perp, c.pool, c.market, expiry, out)
