"""Fixtures for the perp market: one module-scoped deployment (token, feed, market) and funded traders."""

from __future__ import annotations

import pytest

from perp_helpers import deploy_market


@pytest.fixture(scope="module")
def traders(accounts):
    return [accounts[i] for i in range(3, 9)]


@pytest.fixture(scope="module")
def perp(project, deployer, traders):
    return deploy_market(project, deployer, traders)
