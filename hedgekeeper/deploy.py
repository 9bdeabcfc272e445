"""Deploy the protocol with Ape to whatever network Ape is connected to and describe it as a Deployment."""

from __future__ import annotations

from typing import Any

from hedgekeeper.deploy_oracle import deploy_volatility_oracle, oracle_parameters
from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED
from hedgekeeper.pool_setup import (
    FEE_PARAMS,
    MARKET_PARAMS,
    POOL_PARAMS,
    default_strikes,
    deploy_pool,
    post_flat_surfaces,
    seed_pool,
)

# Initial underlying price of the local feed, in USD with the feed's 8 decimals.
INITIAL_PRICE_USD = 2_000
FEED_DECIMALS = 8
# Default option boards: expiries (08:00 UTC, days from deployment) x strikes around spot (5% apart).
BOARD_EXPIRY_DAYS = (7, 14, 30, 60)
STRIKES_PER_BOARD = 9
POOL_LP_SEED = 5_000_000 * 10**6  # quote units deposited as LP capital
POOL_HEDGE_MARGIN = 500_000 * 10**6  # of which moved to the pool's perp account


def board_expiry(now: int, days: int) -> int:
    """The first 08:00 UTC at least `days` days after `now` (unix seconds): boards expire at a fixed hour."""
    day = 86_400
    t = (now + days * day) // day * day + 8 * 3_600
    return t if t >= now + days * day else t + day


def _describe(contract: Any) -> DeployedContract:
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
    return DeployedContract(address=str(contract.address), abi=abi)


def deploy_protocol(project: Any, chain: Any, deployer: Any) -> Deployment:
    """Deploy every contract of the protocol from `deployer` (an Ape account) and return its description.

    `project` and `chain` are Ape's project and chain managers (`ape.project`, `ape.chain`)."""
    start_block = chain.blocks.head.number + 1
    quote = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", INITIAL_PRICE_USD * 10**FEED_DECIMALS)
    perp = deployer.deploy(project.PerpMarket, quote, feed, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    quote.mint(deployer, INSURANCE_SEED, sender=deployer)
    quote.approve(perp, INSURANCE_SEED, sender=deployer)
    perp.fundInsurance(INSURANCE_SEED, sender=deployer)
    oracle = deploy_volatility_oracle(project, deployer, feed, surface_keeper=deployer)
    pool = deploy_pool(project, deployer, quote, oracle, perp)
    now = chain.pending_timestamp
    expiries = [board_expiry(now, days) for days in BOARD_EXPIRY_DAYS]
    strikes = default_strikes(INITIAL_PRICE_USD * 10**18, STRIKES_PER_BOARD)
    for expiry in expiries:
        pool.market.addBoard(expiry, strikes, sender=deployer)
    post_flat_surfaces(oracle, deployer, expiries)
    seed_pool(pool, quote, deployer, POOL_LP_SEED, POOL_HEDGE_MARGIN)
    return Deployment(
        chain_id=chain.chain_id,
        block=int(start_block),
        deployer=str(deployer.address),
        contracts={
            "MockStablecoin": _describe(quote),
            "MockAggregator": _describe(feed),
            "PerpMarket": _describe(perp),
            "VolatilityOracle": _describe(oracle),
            "OptionsPool": _describe(pool.pool),
            "OptionMarket": _describe(pool.market),
        },
        parameters={
            "initial_price_usd": INITIAL_PRICE_USD,
            "feed_decimals": FEED_DECIMALS,
            "perp": DEFAULT_PERP_PARAMETERS.as_dict(),
            "perp_insurance_seed": INSURANCE_SEED,
            "oracle": oracle_parameters(surface_keeper=deployer),
            "pool": {
                "pool_params": list(POOL_PARAMS),
                "fee_params": list(FEE_PARAMS),
                "market_params": list(MARKET_PARAMS),
                "board_expiries": expiries,
                "strikes": strikes,
                "lp_seed": POOL_LP_SEED,
                "hedge_margin": POOL_HEDGE_MARGIN,
            },
        },
    )
