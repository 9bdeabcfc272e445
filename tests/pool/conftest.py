"""Fixtures of the pool tests (see pool_env.py)."""

from __future__ import annotations

import pytest
from pool_env import Env, deploy_env


@pytest.fixture(scope="module")
def env(project, chain, deployer, alice, bob) -> Env:
    e = deploy_env(project, chain, deployer)
    e.fund(alice)
    e.fund(bob)
    return e
