"""The protocol as the simulator needs it, deployed with Ape: `deploy_protocol` (quote token, feed, perp
market, and whatever else it deploys), then the volatility oracle and the options pool when the deployment
lacks them, the keeper role for the keeper's own account, the option boards, the pool's LP seed capital
and hedge margin, and the first surface post.

Units: prices WAD on chain and quote per unit here; money in quote-token units (6 decimals) on chain."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from eth_utils import keccak

from hedgekeeper.deploy import deploy_protocol
from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.pool_setup import QUOTE, WAD, PoolContracts, default_strikes, deploy_pool, seed_pool

KEEPER_ROLE = keccak(text="KEEPER_ROLE")
SURFACE_KEEPER_ROLE = keccak(text="SURFACE_KEEPER_ROLE")
DAY = 86_400
ORACLE_MAX_SPOT_AGE = 4 * 3_600  # seconds between realized-variance updates before reads go stale


@dataclass(frozen=True)
class SimOracleParams:
    """IVolatilityOracleAdmin.OracleParams for the simulation, in field order. The realized floor is off
    (ratio 0): the pool prices at the posted surface, which the surface agent moves toward realized vol."""

    realizedHalfLife: int = DAY
    maxRealizedVol: int = 4 * WAD
    minVol: int = 5 * 10**16
    maxVol: int = 3 * WAD
    realizedFloorRatio: int = 0
    maxSurfaceAge: int = 7 * DAY
    maxAbsSkew: int = WAD
    maxAtmChangePerPost: int = 10**17
    maxSkewChangePerPost: int = 2 * 10**17
    minPostInterval: int = 60
    smoothingHalfLife: int = 60


@dataclass(frozen=True)
class MarketSetup:
    """What the simulator lists and funds. Expiries are days after the start of the run."""

    expiry_days: tuple[float, ...] = (7.0, 14.0)
    strikes_per_board: int = 9
    strike_step: float = 0.05  # fraction of spot between strikes
    lp_seed: int = 2_000_000 * QUOTE
    hedge_margin: int = 200_000 * QUOTE


def describe(contract: Any) -> DeployedContract:
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
    return DeployedContract(address=str(contract.address), abi=abi)


def deploy_for_simulation(project: Any, chain: Any, deployer: Any, keeper_address: str, start_time: int, implied_vol: float,
                          initial_price: float, setup: MarketSetup = MarketSetup()) -> Deployment:
    """Deploy (or complete) the protocol and list the boards; returns the deployment with every contract.

    `start_time` (unix seconds) anchors the expiries; `implied_vol` is the first ATM vol posted;
    `initial_price` (quote per unit) is posted to the feed first, so the strikes centre on it."""
    dep = deploy_protocol(project, chain, deployer)
    quote = project.MockStablecoin.at(dep.contract("MockStablecoin").address)
    feed = project.MockAggregator.at(dep.contract("MockAggregator").address)
    feed.setAnswer(round(initial_price * 10 ** int(feed.decimals())), sender=deployer)
    perp = project.PerpMarket.at(dep.contract("PerpMarket").address)
    contracts = dict(dep.contracts)
    if "VolatilityOracle" in contracts:
        oracle = project.VolatilityOracle.at(contracts["VolatilityOracle"].address)
    else:
        oracle = deployer.deploy(project.VolatilityOracle, feed, deployer, ORACLE_MAX_SPOT_AGE, int(implied_vol * WAD),
                                 astuple(SimOracleParams()))
        contracts["VolatilityOracle"] = describe(oracle)
    if "OptionsPool" in contracts:
        pool = project.OptionsPool.at(contracts["OptionsPool"].address)
        market = project.OptionMarket.at(contracts["OptionMarket"].address)
        pc = PoolContracts(pool=pool, market=market)
        seeded = pool.totalSupply() > 0
    else:
        pc = deploy_pool(project, deployer, quote, oracle, perp)
        contracts["OptionsPool"] = describe(pc.pool)
        contracts["OptionMarket"] = describe(pc.market)
        seeded = False
    if not oracle.hasRole(SURFACE_KEEPER_ROLE, deployer):
        oracle.grantRole(SURFACE_KEEPER_ROLE, deployer, sender=deployer)
    pc.pool.grantRole(KEEPER_ROLE, keeper_address, sender=deployer)
    spot = int(feed.latestRoundData()[1]) * 10 ** (18 - int(feed.decimals()))
    strikes = default_strikes(spot, setup.strikes_per_board, setup.strike_step)
    expiries = [int(start_time + d * DAY) for d in setup.expiry_days]
    for expiry in expiries:
        pc.market.addBoard(expiry, strikes, sender=deployer)
    oracle.postSurfaces([(e, int(implied_vol * WAD), 0) for e in expiries], sender=deployer)
    if not seeded:
        seed_pool(pc, quote, deployer, setup.lp_seed, setup.hedge_margin)
    params = dict(dep.parameters)
    params["simulation"] = {"expiries": expiries, "strikes": [s / WAD for s in strikes], "lp_seed": setup.lp_seed,
                            "hedge_margin": setup.hedge_margin, "keeper": keeper_address}
    return Deployment(chain_id=dep.chain_id, block=dep.block, deployer=dep.deployer, contracts=contracts, parameters=params)
