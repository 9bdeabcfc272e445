"""A deployment and a transaction, on py-evm (default run) and on anvil (the `anvil` run)."""

import pytest


def _deploy_and_transact(project, deployer, alice):
    token = deployer.deploy(project.MockStablecoin)
    receipt = token.mint(alice, 1_000 * 10**6, sender=deployer)
    assert not receipt.failed
    assert token.balanceOf(alice) == 1_000 * 10**6
    assert token.decimals() == 6
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    feed.setAnswer(2_100 * 10**8, sender=deployer)
    assert feed.latestRoundData()[1] == 2_100 * 10**8


def test_deploy_and_transact_on_pyevm(project, deployer, alice, chain):
    assert chain.provider.name == "test"
    _deploy_and_transact(project, deployer, alice)


@pytest.mark.anvil
def test_deploy_and_transact_on_anvil(project, deployer, alice, chain):
    assert chain.provider.name == "foundry"
    _deploy_and_transact(project, deployer, alice)


def test_feed_rejects_bad_input(project, deployer, alice):
    import ape

    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    with ape.reverts(feed.NotOwner, caller=alice.address):
        feed.setAnswer(1, sender=alice)
    with ape.reverts(feed.NonPositiveAnswer, answer=0):
        feed.setAnswer(0, sender=deployer)
    assert feed.latestRoundData()[1] == 2_000 * 10**8
