"""Keeper cycle latency on anvil against the raw JSON-RPC floor, measured in the same run.

A keeper cycle = journal check + pool.keeperSnapshot() eth_call + decide + sign + journal + send + receipt
(polled every 5 ms) + journal. The floor = one eth_call of keeperSnapshot() plus one signed hedge
transaction and its receipt through plain web3.py (HTTPProvider, wait_for_transaction_receipt polling every
5 ms). Each cycle hedges a price move, so every measured cycle sends exactly one transaction.

The pool side is KeeperBookHarness (the options pool's keeper interface, a quadratic book); other duties
are off so that both sides do the same work."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_account import Account

from hedgekeeper.anvil import AnvilNode
from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.logging import configure_logging
from hedgekeeper.keeper.rpc import HttpJsonRpc
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.keeper.units import to_wad

CYCLES = 40
WAD = 10**18
Account.enable_unaudited_hdwallet_features()
MNEMONIC = "test test test test test test test test test test test junk"


def _key(i: int) -> str:
    return "0x" + bytes(Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}").key).hex().removeprefix("0x")


def _receipt(rpc: HttpJsonRpc, tx_hash: str) -> dict[str, Any]:
    while True:
        rc = rpc.request("eth_getTransactionReceipt", [tx_hash])
        if rc:
            return rc  # type: ignore[no-any-return]
        time.sleep(0.002)


def _deploy(rpc: HttpJsonRpc, sender: str, contract_type: Any, types: list[str], args: list[Any]) -> DeployedContract:
    code = contract_type.deployment_bytecode.bytecode + encode(types, args).hex()
    h = rpc.request("eth_sendTransaction", [{"from": sender, "data": code, "gas": hex(5_000_000)}])
    addr = _receipt(rpc, h)["contractAddress"]
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract_type.abi]
    return DeployedContract(address=addr, abi=abi)


def _send_as(rpc: HttpJsonRpc, sender: str, c: DeployedContract, fn: str, *args: Any) -> None:
    codec = ContractCodec("x", c.address, c.abi)
    h = rpc.request("eth_sendTransaction", [{"from": sender, "to": c.address, "data": codec.encode(fn, *args), "gas": hex(1_000_000)}])
    assert _receipt(rpc, h)["status"] == "0x1"


def _median_ms(xs: list[float]) -> float:
    return round(statistics.median(xs) * 1000, 3)


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    from web3 import Web3

    configure_logging(level="warning")
    keeper_key, floor_key = _key(11), _key(12)
    keeper_addr, floor_addr = Account.from_key(keeper_key).address, Account.from_key(floor_key).address
    with AnvilNode() as node, tempfile.TemporaryDirectory() as tmp:
        rpc = HttpJsonRpc(node.url)
        deployer = rpc.request("eth_accounts", [])[0]
        feed = _deploy(rpc, deployer, project.MockAggregator.contract_type, ["uint8", "string", "int256"], [8, "ETH / USD", 2_000 * 10**8])
        now = int(rpc.request("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
        pools = {}
        for name, owner in (("keeper", keeper_addr), ("floor", floor_addr)):
            pools[name] = _deploy(rpc, deployer, project.KeeperBookHarness.contract_type, ["address", "address", "uint256"],
                                  [feed.address, owner, 10**12])
            _send_as(rpc, deployer, pools[name], "setBook", -10 * WAD, -(2 * WAD) // 100, 2_000 * WAD, now + 30 * 86400)
        dep_path = Deployment(chain_id=31337, block=0, deployer=deployer,
                              contracts={"OptionsPool": pools["keeper"], "MockAggregator": feed}).write(Path(tmp) / "dep.json")
        off = {"margin": False, "oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False, "liquidate_perps": False}
        settings = load_settings(rpc_url=node.url, deployment=dep_path, private_key=keeper_key, journal_path=Path(tmp) / "j.sqlite",
                                 policy="fixed_band", policy_params={"band": 0.0}, duties=off)
        app = build_keeper(settings)

        w3 = Web3(Web3.HTTPProvider(node.url))
        floor_pool = w3.eth.contract(address=Web3.to_checksum_address(pools["floor"].address), abi=pools["floor"].abi)
        floor_acct = Account.from_key(floor_key)
        floor_nonce = w3.eth.get_transaction_count(floor_acct.address, "pending")
        snapshot_data = floor_pool.encode_abi("keeperSnapshot")
        out_types = ContractCodec("floor", pools["floor"].address, pools["floor"].abi)

        price = 2_000.0
        keeper_s: list[float] = []
        read_s: list[float] = []
        floor_s: list[float] = []
        for i in range(CYCLES):
            price *= 1.01 if i % 2 == 0 else 0.985
            _send_as(rpc, deployer, feed, "setAnswer", int(price * 10**8))
            report = app.keeper.cycle()
            assert [o.status for o in report.outcomes] == ["mined"], report.outcomes
            keeper_s.append(report.total_s)
            read_s.append(report.read_s)

            t0 = time.perf_counter()
            raw = w3.eth.call({"to": floor_pool.address, "data": snapshot_data})
            (snap,) = out_types.decode("keeperSnapshot", bytes(raw))
            net = snap[10]  # netDelta
            limit = to_wad(price * (1.02 if net < 0 else 0.98))
            tx = floor_pool.functions.hedge(-net, limit, now + 10**6).build_transaction({
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
        "pool": "KeeperBookHarness (options-pool keeper interface)",
    }
