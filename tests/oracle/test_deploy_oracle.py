"""The protocol deployment includes the volatility oracle on the local feed, ready for the keeper: spot, realized
vol, keeper role, and a posted surface priced; on py-evm and on anvil."""

from __future__ import annotations

import pytest

from hedgekeeper.deploy import deploy_protocol
from hedgekeeper.deploy_oracle import INITIAL_REALIZED_VOL, PARAMS

WAD = 10**18


def _deploy_and_price(project, chain, deployer):
    dep = deploy_protocol(project, chain, deployer)
    oracle = project.VolatilityOracle.at(dep.contract("VolatilityOracle").address)
    assert oracle.feed() == dep.contract("MockAggregator").address
    assert tuple(int(x) for x in oracle.oracleParams()) == tuple(PARAMS.values())
    assert oracle.hasRole(oracle.SURFACE_KEEPER_ROLE(), deployer)
    assert dep.parameters["oracle"]["params"] == PARAMS
    assert oracle.spotPrice()[0] == 2_000 * WAD
    assert oracle.realizedVol() == INITIAL_REALIZED_VOL
    expiry = chain.blocks.head.timestamp + 7 * 86_400 + 3_600  # not one of deploy_protocol's boards (posted at deployment)
    oracle.postSurface(expiry, 65 * WAD // 100, -15 * WAD // 100, sender=deployer)
    assert oracle.impliedVol(expiry, 2_000 * WAD) == 65 * WAD // 100
    assert oracle.smoothedImpliedVol(expiry, 2_000 * WAD) == 65 * WAD // 100
    feed = project.MockAggregator.at(dep.contract("MockAggregator").address)
    chain.pending_timestamp = chain.blocks.head.timestamp + 2  # a round later than the one folded at deployment
    feed.setAnswer(2_010 * 10**8, sender=deployer)
    receipt = oracle.update(sender=deployer)
    assert int(receipt.events[0].price) == 2_010 * WAD


def test_deployment_includes_a_working_oracle_on_pyevm(project, chain, deployer):
    _deploy_and_price(project, chain, deployer)


@pytest.mark.anvil
def test_deployment_includes_a_working_oracle_on_anvil(project, chain, deployer):
    assert chain.provider.name == "foundry"
    _deploy_and_price(project, chain, deployer)
