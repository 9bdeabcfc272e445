"""Simulation throughput on anvil and the harness overhead against the raw JSON-RPC floor, in the same run.

The run: `hedgekeeper simulate`'s default market (agents and keeper, whalley_wilmott) for STEPS steps on
an anvil started here, deployed with Ape. Its wall time (deployment excluded) covers every transaction,
every read and the agents' and keeper's own work. The floor: the same number of transactions, each a
plain locally signed contract call sent through web3.py (HTTPProvider, `send_raw_transaction`, receipt
polled every millisecond), one at a time on the same node. ratio = run time / floor time."""

from __future__ import annotations

import time
from typing import Any

from hedgekeeper.anvil import AnvilNode
from hedgekeeper.commands.simulate import build_policy, build_scenario
from hedgekeeper.sim.engine import SimConfig, Simulation
from hedgekeeper.sim.sender import mnemonic_account

STEPS = 48
TARGET_RATIO = 1.5


def _floor(url: str, quote_address: str, abi: list[dict[str, Any]], n: int) -> float:
    from web3 import Web3

    w3 = Web3(Web3.HTTPProvider(url))
    acct = mnemonic_account(19)
    token = w3.eth.contract(address=Web3.to_checksum_address(quote_address), abi=abi)
    nonce = w3.eth.get_transaction_count(acct.address, "pending")
    chain_id = w3.eth.chain_id
    base = w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0
    t0 = time.perf_counter()
    for i in range(n):
        data = token.encode_abi("mint", [acct.address, 10**6 + i])
        tx = {"type": 2, "chainId": chain_id, "nonce": nonce + i, "to": token.address, "data": data, "value": 0, "gas": 200_000,
              "maxFeePerGas": 2 * base + 10**9 if base else 0, "maxPriorityFeePerGas": 0}
        h = w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction)
        rc = w3.eth.wait_for_transaction_receipt(h, poll_latency=0.001)
        assert rc["status"] == 1
    return time.perf_counter() - t0


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    from ape import networks

    with AnvilNode() as node, networks.parse_network_choice(node.url):
        from ape import accounts as ape_accounts
        from ape import chain

        sim = Simulation(node.url, project, chain, ape_accounts.test_accounts[0], build_scenario("gbm", None, None),
                         build_policy("whalley_wilmott", ()), SimConfig(steps=STEPS, seed=1))
        run = sim.run()
        quote = run.deployment.contract("MockStablecoin")
        floor_s = _floor(node.url, quote.address, quote.abi, run.transactions)
    return {
        "steps": STEPS + 1,
        "transactions": run.transactions,
        "steps_per_second": round((STEPS + 1) / run.run_seconds, 2),
        "transactions_per_second": round(run.transactions / run.run_seconds, 1),
        "run_seconds": round(run.run_seconds, 3),
        "deploy_seconds": round(run.deploy_seconds, 3),
        "floor_seconds": round(floor_s, 3),
        "ms_per_transaction": round(1000 * run.run_seconds / run.transactions, 3),
        "floor_ms_per_transaction": round(1000 * floor_s / run.transactions, 3),
        "ratio_to_raw_rpc": round(run.run_seconds / floor_s, 3),
        "target_ratio_max": TARGET_RATIO,
    }
