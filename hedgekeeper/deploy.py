"""Deploy the protocol with Ape to whatever network Ape is connected to and describe it as a Deployment."""

from __future__ import annotations

from typing import Any

from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED

# Initial underlying price of the local feed, in USD with the feed's 8 decimals.
INITIAL_PRICE_USD = 2_000
FEED_DECIMALS = 8


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
    return Deployment(
        chain_id=chain.chain_id,
        block=int(start_block),
        deployer=str(deployer.address),
        contracts={"MockStablecoin": _describe(quote), "MockAggregator": _describe(feed), "PerpMarket": _describe(perp)},
        parameters={
            "initial_price_usd": INITIAL_PRICE_USD,
            "feed_decimals": FEED_DECIMALS,
            "perp": DEFAULT_PERP_PARAMETERS.as_dict(),
            "perp_insurance_seed": INSURANCE_SEED,
        },
    )
