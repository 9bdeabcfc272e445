"""Deploy the volatility oracle on a price feed with the local chain's parameters."""

from __future__ import annotations

from typing import Any

WAD = 10**18

MAX_SPOT_AGE = 3_600  # seconds; the heartbeat of Chainlink's ETH / USD feed
INITIAL_REALIZED_VOL = 70 * WAD // 100  # WAD a year
# IVolatilityOracleAdmin.OracleParams, in field order (vols and ratios WAD, times in seconds)
PARAMS: dict[str, int] = {
    "realizedHalfLife": 86_400,
    "maxRealizedVol": 250 * WAD // 100,
    "minVol": 5 * WAD // 100,
    "maxVol": 3 * WAD,
    "realizedFloorRatio": 80 * WAD // 100,
    "maxSurfaceAge": 4 * 3_600,
    "maxAbsSkew": WAD,
    "maxAtmChangePerPost": 10 * WAD // 100,
    "maxSkewChangePerPost": 20 * WAD // 100,
    "minPostInterval": 60,
    "smoothingHalfLife": 3_600,
}


def deploy_volatility_oracle(project: Any, deployer: Any, feed: Any, surface_keeper: Any) -> Any:
    """Deploy VolatilityOracle on `feed` with `deployer` as admin and grant SURFACE_KEEPER_ROLE to
    `surface_keeper` (Ape accounts and contract); returns the Ape contract."""
    oracle = deployer.deploy(
        project.VolatilityOracle, feed.address, deployer.address, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, tuple(PARAMS.values())
    )
    oracle.grantRole(oracle.SURFACE_KEEPER_ROLE(), surface_keeper.address, sender=deployer)
    return oracle


def oracle_parameters(surface_keeper: Any) -> dict[str, Any]:
    """The oracle's deployment parameters, for Deployment.parameters["oracle"]."""
    return {
        "max_spot_age": MAX_SPOT_AGE,
        "initial_realized_vol": INITIAL_REALIZED_VOL,
        "params": dict(PARAMS),
        "surface_keeper": str(surface_keeper.address),
    }
