"""Shared fixtures. The toolchain (node_modules/.bin, solc-js shim) is activated before Ape compiles."""

from hedgekeeper.toolchain import activate

activate()

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[2]
