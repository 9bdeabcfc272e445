"""Gas of the local-chain mocks (quote token and price feed): whole transactions, 21,000 base included."""

from __future__ import annotations

from typing import Any


def measure(project: Any, accounts: Any) -> dict[str, int]:
    deployer, alice = accounts[0], accounts[1]
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    mint = token.mint(alice, 10**12, sender=deployer)
    transfer = token.transfer(deployer, 10**6, sender=alice)
    post = feed.setAnswer(2_001 * 10**8, sender=deployer)
    return {
        "mock_stablecoin.mint.tx": int(mint.gas_used),
        "mock_stablecoin.transfer.tx": int(transfer.gas_used),
        "mock_aggregator.set_answer.tx": int(post.gas_used),
    }
