"""Gas of the volatility oracle on py-evm.

- `oracle.update.tx`: a steady-state `update()` transaction folding a new feed round (21,000 base included).
- `oracle.post_surface.tx`: a keeper re-post of an existing expiry's surface (21,000 base included).
- `oracle.*.read`: execution gas of a read as the first oracle read of a transaction, measured by a probe
  contract around the STATICCALL alone (the warm call's 100 gas included; the oracle's storage and the feed's
  account and storage cold)."""

from __future__ import annotations

from typing import Any

from hedgekeeper.deploy_oracle import deploy_volatility_oracle

WAD = 10**18
FEED_DECIMALS = 8


def measure(project: Any, accounts: Any) -> dict[str, int]:
    """The local deployment's oracle (hedgekeeper.deploy_oracle parameters) on a fresh MockAggregator."""
    deployer = accounts[0]
    chain = _chain()
    feed = deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", 2_000 * 10**FEED_DECIMALS)
    oracle = deploy_volatility_oracle(project, deployer, feed, surface_keeper=deployer)
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
    _, realized_gas = probe.measureRealizedVol(oracle)
    return {
        "oracle.update.tx": int(updates[-1].gas_used),
        "oracle.post_surface.tx": int(repost.gas_used),
        "oracle.implied_vol.read": int(implied_gas),
        "oracle.smoothed_implied_vol.read": int(smoothed_gas),
        "oracle.spot_price.read": int(spot_gas),
        "oracle.realized_vol.read": int(realized_gas),
    }


def _chain() -> Any:
    from ape import chain

    return chain
