"""Parameters: admin-only, every field validated with an error naming it, constructor arguments validated, and
lowering the realized cap clamps the estimate."""

from __future__ import annotations

import ape
import pytest
from oracle_env import FEED_DECIMALS, INITIAL_REALIZED_VOL, MAX_SPOT_AGE, PARAMS, WAD, answer

# IVolatilityOracleAdmin.Param
P = {
    name: i
    for i, name in enumerate(
        [
            "RealizedHalfLife",
            "MaxRealizedVol",
            "MinVol",
            "MaxVol",
            "RealizedFloorRatio",
            "MaxSurfaceAge",
            "MaxAbsSkew",
            "MaxAtmChangePerPost",
            "MaxSkewChangePerPost",
            "MinPostInterval",
            "SmoothingHalfLife",
            "MaxSpotAge",
            "InitialRealizedVol",
            "FeedDecimals",
        ]
    )
}

BAD = [
    ("realizedHalfLife", 59, "RealizedHalfLife"),
    ("realizedHalfLife", 365 * 86_400 + 1, "RealizedHalfLife"),
    ("maxRealizedVol", 0, "MaxRealizedVol"),
    ("maxRealizedVol", 4 * WAD + 1, "MaxRealizedVol"),
    ("maxVol", 4 * WAD + 1, "MaxVol"),
    ("maxVol", 10**15, "MaxVol"),
    ("minVol", 10**15 - 1, "MinVol"),
    ("minVol", PARAMS.maxVol, "MinVol"),
    ("realizedFloorRatio", 2 * WAD + 1, "RealizedFloorRatio"),
    ("maxSurfaceAge", PARAMS.minPostInterval, "MaxSurfaceAge"),
    ("maxSurfaceAge", 30 * 86_400 + 1, "MaxSurfaceAge"),
    ("maxAbsSkew", 4 * WAD + 1, "MaxAbsSkew"),
    ("maxAtmChangePerPost", 0, "MaxAtmChangePerPost"),
    ("maxAtmChangePerPost", 4 * WAD + 1, "MaxAtmChangePerPost"),
    ("maxSkewChangePerPost", 0, "MaxSkewChangePerPost"),
    ("maxSkewChangePerPost", 8 * WAD + 1, "MaxSkewChangePerPost"),
    ("minPostInterval", 0, "MinPostInterval"),
    ("minPostInterval", 86_400 + 1, "MinPostInterval"),
    ("smoothingHalfLife", 59, "SmoothingHalfLife"),
    ("smoothingHalfLife", 30 * 86_400 + 1, "SmoothingHalfLife"),
]


def _params(oracle):
    return tuple(int(x) for x in oracle.oracleParams())


def test_params_round_trip_and_event(oracle, deployer):
    assert _params(oracle) == PARAMS.tuple()
    new = PARAMS.with_(realizedHalfLife=43_200, minVol=10**17, smoothingHalfLife=7_200, minPostInterval=30)
    receipt = oracle.setParams(new.tuple(), sender=deployer)
    assert _params(oracle) == new.tuple()
    assert tuple(int(x) for x in receipt.events[0].params) == new.tuple()


def test_set_params_requires_admin(oracle, alice, keeper):
    for who in (alice, keeper):
        with ape.reverts(oracle.AccessControlUnauthorizedAccount, account=who.address, neededRole=b"\x00" * 32):
            oracle.setParams(PARAMS.tuple(), sender=who)
    assert _params(oracle) == PARAMS.tuple()


@pytest.mark.parametrize("field,value,name", BAD, ids=[f"{f}={v}" for f, v, _ in BAD])
def test_set_params_rejects_each_bad_field(oracle, deployer, field, value, name):
    with ape.reverts(oracle.ParameterOutOfRange, param=P[name], value=value):
        oracle.setParams(PARAMS.with_(**{field: value}).tuple(), sender=deployer)
    assert _params(oracle) == PARAMS.tuple()


def test_lowering_the_realized_cap_clamps_the_estimate(oracle, deployer):
    assert int(oracle.realizedState()[2]) == INITIAL_REALIZED_VOL
    receipt = oracle.setParams(PARAMS.with_(maxRealizedVol=5 * 10**17).tuple(), sender=deployer)
    capped = receipt.events[-1]
    assert (int(capped.previousVol), int(capped.vol)) == (INITIAL_REALIZED_VOL, 5 * 10**17)
    assert oracle.realizedVol() == int(oracle.realizedState()[2]) == 5 * 10**17
    # raising it again leaves the estimate alone
    receipt = oracle.setParams(PARAMS.tuple(), sender=deployer)
    assert len(receipt.events) == 1 and oracle.realizedVol() == 5 * 10**17


def test_constructor_rejects_bad_arguments(project, deployer, feed):
    oracle_type = project.VolatilityOracle
    good = (feed.address, deployer.address, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, PARAMS.tuple())
    cases = [
        ((feed.address, deployer.address, 0, INITIAL_REALIZED_VOL, PARAMS.tuple()), "ParameterOutOfRange",
         {"param": P["MaxSpotAge"], "value": 0}),
        ((feed.address, deployer.address, 7 * 86_400 + 1, INITIAL_REALIZED_VOL, PARAMS.tuple()), "ParameterOutOfRange",
         {"param": P["MaxSpotAge"]}),
        ((feed.address, deployer.address, MAX_SPOT_AGE, PARAMS.maxRealizedVol + 1, PARAMS.tuple()),
         "ParameterOutOfRange", {"param": P["InitialRealizedVol"], "value": PARAMS.maxRealizedVol + 1}),
        ((feed.address, deployer.address, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, PARAMS.with_(minVol=0).tuple()),
         "ParameterOutOfRange", {"param": P["MinVol"], "value": 0}),
        ((feed.address, "0x" + "00" * 20, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, PARAMS.tuple()), "ZeroAddress", {}),
        (("0x" + "00" * 20, deployer.address, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, PARAMS.tuple()), "ZeroAddress", {}),
    ]
    for args, error, fields in cases:
        with ape.reverts(getattr(oracle_type, error), **fields):
            deployer.deploy(oracle_type, *args)
    assert deployer.deploy(oracle_type, *good).maxSpotAge() == MAX_SPOT_AGE


def test_constructor_rejects_feeds_it_cannot_read(project, deployer, chain):
    raw = deployer.deploy(project.RawAggregator, 19)
    raw.set(answer(2_000), chain.pending_timestamp - 1, sender=deployer)
    args = (deployer.address, MAX_SPOT_AGE, INITIAL_REALIZED_VOL, PARAMS.tuple())
    with ape.reverts(project.VolatilityOracle.ParameterOutOfRange, param=P["FeedDecimals"], value=19):
        deployer.deploy(project.VolatilityOracle, raw.address, *args)
    raw = deployer.deploy(project.RawAggregator, FEED_DECIMALS)
    raw.set(0, chain.pending_timestamp - 1, sender=deployer)
    with ape.reverts(project.VolatilityOracle.NonPositivePrice, answer=0):
        deployer.deploy(project.VolatilityOracle, raw.address, *args)
    # an 18-decimal feed is read at par
    raw = deployer.deploy(project.RawAggregator, 18)
    raw.set(1_500 * WAD, chain.pending_timestamp - 1, sender=deployer)
    oracle = deployer.deploy(project.VolatilityOracle, raw.address, *args)
    assert oracle.spotPrice()[0] == 1_500 * WAD
    assert oracle.feed() == raw.address
