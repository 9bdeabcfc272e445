"""Constants and helpers shared by the oracle tests: the local parameters, feed answers, time travel, deploy."""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace

from eth_utils import keccak

WAD = 10**18
YEAR = 365 * 86_400
FEED_DECIMALS = 8
SPOT_USD = 2_000
MAX_SPOT_AGE = 3_600
INITIAL_REALIZED_VOL = 7 * 10**17
SURFACE_KEEPER_ROLE = keccak(text="SURFACE_KEEPER_ROLE")


@dataclass(frozen=True)
class Params:
    """IVolatilityOracleAdmin.OracleParams, in field order."""

    realizedHalfLife: int = 86_400
    maxRealizedVol: int = 25 * 10**17
    minVol: int = 5 * 10**16
    maxVol: int = 3 * WAD
    realizedFloorRatio: int = 8 * 10**17
    maxSurfaceAge: int = 4 * 3_600
    maxAbsSkew: int = WAD
    maxAtmChangePerPost: int = 10**17
    maxSkewChangePerPost: int = 2 * 10**17
    minPostInterval: int = 60
    smoothingHalfLife: int = 3_600

    def tuple(self) -> tuple[int, ...]:
        return astuple(self)

    def with_(self, **changes: int) -> "Params":
        return replace(self, **changes)


PARAMS = Params()


def answer(price_usd: float) -> int:
    """A feed answer (8 decimals) for a price in USD."""
    return round(price_usd * 10**FEED_DECIMALS)


def at(chain, timestamp: int) -> None:
    """The next transaction is mined in a block stamped `timestamp`."""
    chain.pending_timestamp = timestamp


def deploy_oracle(project, deployer, feed, params: Params = PARAMS, initial_vol: int = INITIAL_REALIZED_VOL):
    return deployer.deploy(
        project.VolatilityOracle, feed.address, deployer.address, MAX_SPOT_AGE, initial_vol, params.tuple()
    )




def refresh_spot(chain, feed, oracle, deployer, t: int, price_answer: int = 2_000 * 10**FEED_DECIMALS) -> int:
    """The feed posts `price_answer` at time t and the oracle folds it at t + 1; returns t + 1."""
    at(chain, t)
    feed.setAnswer(price_answer, sender=deployer)
    at(chain, t + 1)
    oracle.update(sender=deployer)
    return t + 1
