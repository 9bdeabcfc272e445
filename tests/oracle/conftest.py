"""Fixtures for the volatility oracle: a MockAggregator feed at 2,000 USD and an oracle on it with the parameters
of oracle_env; `bob` holds SURFACE_KEEPER_ROLE, `deployer` is the admin."""

from __future__ import annotations

import pytest
from oracle_env import FEED_DECIMALS, SPOT_USD, SURFACE_KEEPER_ROLE, answer, deploy_oracle


@pytest.fixture(scope="module")
def feed(project, deployer):
    return deployer.deploy(project.MockAggregator, FEED_DECIMALS, "ETH / USD", answer(SPOT_USD))


@pytest.fixture(scope="module")
def oracle(project, deployer, alice, bob, feed):
    # every account fixture is requested here, before any test, so Ape's snapshots nest in scope order
    oracle = deploy_oracle(project, deployer, feed)
    oracle.grantRole(SURFACE_KEEPER_ROLE, bob, sender=deployer)
    return oracle


@pytest.fixture(scope="module")
def keeper(bob):
    return bob


@pytest.fixture(scope="module")
def probe(project, deployer):
    return deployer.deploy(project.VolatilityOracleProbe)


@pytest.fixture(scope="module")
def math_harness(project, deployer):
    return deployer.deploy(project.VolatilityMathHarness)
