"""Gas of the volatility oracle on py-evm.

- `oracle.update.tx`: a steady-state `update()` transaction folding a new feed round (21,000 base included).
- `oracle.post_surface.tx`: a keeper re-post of an existing expiry's surface (21,000 base included).
- `oracle.*.read`: execution gas of a read as the first touch of the oracle's storage in a transaction, measured
  by a probe contract around the call (call overhead included, oracle account warm, storage and feed cold)."""

from __future__ import annotations

from typing import Any

WAD = 10**18
FEED_DECIMALS = 8
MAX_SPOT_AGE = 3_600
# IVolatilityOracleAdmin.OracleParams in field order (the local deployment's parameters)
PARAMS = (86_400, 25 * 10**17, 5 * 10**16, 3 * WAD, 8 * 10**17, 4 * 3_600, WAD, 10**17, 2 * 10**17, 60, 3_600)


def measure(project, accounts) -> dict[str, int]:
    from eth_utils import keccak

    deployer = accounts[0]
    chain = _chain()
    feed = deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", 2_000 * 10**FEED_DECIMALS)
    oracle = deployer.deploy(project.VolatilityOracle, feed.address, deployer.address, MAX_SPOT_AGE, 7 * 10**17, PARAMS)
    oracle.grantRole(keccak(text="SURFACE_KEEPER_ROLE"), deployer, sender=deployer)
    probe = deployer.deploy(project.VolatilityOracleProbe)
    t = chain.pending_timestamp + 60
    expiry = t + 30 * 86_400
    chain.pending_timestamp = t
    oracle.postSurface(expiry, 65 * 10**16, -2 * 10**17, sender=deployer)
    # steady state: the first fold after deployment, then a second one is measured
    updates = []
    for i in range(2):
        t += 600
        chain.pending_timestamp = t
        feed.setAnswer((2_000 + 3 * (i + 1)) * 10**FEED_DECIMALS, sender=deployer)
        chain.pending_timestamp = t + 1
        updates.append(oracle.update(sender=deployer))
    chain.pending_timestamp = t + 60
    repost = oracle.postSurface(expiry, 66 * 10**16, -21 * 10**16, sender=deployer)
    chain.mine(timestamp=t + 61)
    strike = 2_200 * WAD
    _, implied_gas = probe.measureImpliedVol(oracle, expiry, strike)
    _, smoothed_gas = probe.measureSmoothedImpliedVol(oracle, expiry, strike)
    _, spot_gas = probe.measureSpotPrice(oracle)
    return {
        "oracle.update.tx": int(updates[-1].gas_used),
        "oracle.post_surface.tx": int(repost.gas_used),
        "oracle.implied_vol.read": int(implied_gas),
        "oracle.smoothed_implied_vol.read": int(smoothed_gas),
        "oracle.spot_price.read": int(spot_gas),
    }


def _chain() -> Any:
    from ape import chain

    return chain
