"""Keeper cycle latency on anvil against the raw JSON-RPC floor, measured in the same run.

A keeper cycle = journal check + pool.keeperSnapshot() eth_call + decide + sign + journal + send + receipt
(polled every 5 ms) + journal. The floor = one eth_call of keeperSnapshot() plus one signed hedge
transaction and its receipt through plain web3.py (HTTPProvider, wait_for_transaction_receipt polling every
5 ms). Each cycle hedges a price move, so every measured cycle sends exactly one transaction.

The protocol is the real one (OptionsPool + OptionMarket, PerpMarket, VolatilityOracle) with a trader long
20 at-the-money calls. Before every measured cycle, untimed, the feed moves by 0.4% and the pool's greeks are
refreshed; both sides then hedge the pool back to zero net delta (the floor account also holds the keeper
role). The keeper's other duties are off so that both sides do the same work; the keeper's journal fsyncs
each intent before sending it (the default)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from eth_account import Account

from hedgekeeper.anvil import AnvilNode
from hedgekeeper.deployment import Deployment
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.local_protocol import deploy_local_protocol
from hedgekeeper.keeper.logs import configure_logging
from hedgekeeper.keeper.rpc import HttpJsonRpc
from hedgekeeper.keeper.settings import load_settings

CYCLES = 40
Account.enable_unaudited_hdwallet_features()
MNEMONIC = "test test test test test test test test test test test junk"


def _key(i: int) -> str:
    return "0x" + bytes(Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}").key).hex().removeprefix("0x")


def _send_as(rpc: HttpJsonRpc, sender: str, codec: ContractCodec, fn: str, *args: Any) -> None:
    """A transaction from an account the node unlocks (anvil's), waited for."""
    h = rpc.request("eth_sendTransaction", [{"from": sender, "to": codec.address, "data": codec.encode(fn, *args), "gas": hex(10_000_000)}])
    while not (rc := rpc.request("eth_getTransactionReceipt", [h])):
        time.sleep(0.002)
    assert rc["status"] == "0x1", f"{fn} failed"


def _median_ms(xs: list[float]) -> float:
    return round(statistics.median(xs) * 1000, 3)


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    from ape import chain, networks
    from web3 import Web3

    configure_logging(level="warning")
    keeper_key, floor_key = _key(11), _key(12)
    keeper_acct, floor_acct = Account.from_key(keeper_key), Account.from_key(floor_key)
    with AnvilNode() as node, tempfile.TemporaryDirectory() as tmp, networks.parse_network_choice(node.url):
        deployer, trader = accounts[0], accounts[1]
        p = deploy_local_protocol(project, chain, deployer, trader, [keeper_acct.address, floor_acct.address], Path(tmp) / "dep.json")
        rpc = HttpJsonRpc(node.url)
        dep = Deployment.read(p.deployment)
        pool = dep.contract("OptionsPool")
        off = {"margin": False, "oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False, "liquidate_perps": False,
               "surface": False, "deleverage": False}
        settings = load_settings(rpc_url=node.url, deployment=p.deployment, private_key=keeper_key, journal_path=Path(tmp) / "j.sqlite",
                                 policy="fixed_band", policy_params={"band": 0.0}, duties=off, slippage=0.02)
        app = build_keeper(settings)
        feed_codec = ContractCodec("MockAggregator", str(p.feed.address), dep.contract("MockAggregator").abi)
        pool_codec = ContractCodec("OptionsPool", pool.address, pool.abi)
        sender = str(deployer.address)

        w3 = Web3(Web3.HTTPProvider(node.url))
        floor_pool = w3.eth.contract(address=Web3.to_checksum_address(pool.address), abi=pool.abi)
        floor_nonce = w3.eth.get_transaction_count(floor_acct.address, "pending")
        snapshot_data = floor_pool.encode_abi("keeperSnapshot")
        fields = pool_codec.output_fields("keeperSnapshot")

        price = 2_000.0
        keeper_s: list[float] = []
        read_s: list[float] = []
        floor_s: list[float] = []

        def move(up: bool) -> None:
            nonlocal price
            price *= 1.004 if up else 0.996
            _send_as(rpc, sender, feed_codec, "setAnswer", int(price * 10**8))
            _send_as(rpc, sender, pool_codec, "refreshGreeks")

        for i in range(CYCLES):
            move(i % 2 == 0)
            report = app.keeper.cycle()
            assert [(o.kind, o.status) for o in report.outcomes] == [("hedge", "mined")], report.outcomes
            keeper_s.append(report.total_s)
            read_s.append(report.read_s)

            move(i % 2 == 1)
            t0 = time.perf_counter()
            raw = w3.eth.call({"to": floor_pool.address, "data": snapshot_data})
            (values,) = pool_codec.decode("keeperSnapshot", bytes(raw))
            snap = dict(zip(fields, values))
            net, mark = snap["netDelta"], snap["markPrice"]
            limit = mark * 102 // 100 if net < 0 else mark * 98 // 100
            tx = floor_pool.functions.hedge(-net, limit, snap["timestamp"] + 600).build_transaction({
                "from": floor_acct.address, "nonce": floor_nonce, "gas": 3_000_000, "chainId": 31337,
                "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 0,
            })
            h = w3.eth.send_raw_transaction(floor_acct.sign_transaction(tx).raw_transaction)
            rc = w3.eth.wait_for_transaction_receipt(h, poll_latency=0.005)
            floor_s.append(time.perf_counter() - t0)
            assert rc["status"] == 1
            floor_nonce += 1
        app.close()
    keeper_ms, floor_ms = _median_ms(keeper_s), _median_ms(floor_s)
    return {
        "cycles": CYCLES,
        "keeper_cycle_ms_median": keeper_ms,
        "keeper_cycle_ms_p90": round(sorted(keeper_s)[int(0.9 * CYCLES)] * 1000, 3),
        "keeper_read_ms_median": _median_ms(read_s),
        "floor_ms_median": floor_ms,
        "ratio_keeper_to_floor": round(keeper_ms / floor_ms, 3),
        "target_ratio_max": 2.0,
        "pool": "OptionsPool + OptionMarket on PerpMarket and VolatilityOracle",
    }
