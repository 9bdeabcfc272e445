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

from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from hedgekeeper.anvil import AnvilNode
from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.keeper.abi import ContractCodec, abi_type
from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.logging import configure_logging
from hedgekeeper.keeper.rpc import HttpJsonRpc
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS, INSURANCE_SEED
from hedgekeeper.pool_setup import FEE_PARAMS, MARKET_PARAMS, POOL_PARAMS, QUOTE, WAD

LP_CAPITAL = 1_000_000 * QUOTE
# IVolatilityOracleAdmin.OracleParams for a local chain, in field order.
ORACLE_PARAMS = (86_400, 25 * 10**17, 5 * 10**16, 3 * WAD, 8 * 10**17, 4 * 3_600, WAD, 10**17, 2 * 10**17, 60, 3_600)

CYCLES = 40
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


def _deploy(rpc: HttpJsonRpc, sender: str, contract_type: Any, *args: Any) -> DeployedContract:
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract_type.abi]
    ctor = next((i for i in abi if i.get("type") == "constructor"), {"inputs": []})
    code = contract_type.deployment_bytecode.bytecode + encode([abi_type(p) for p in ctor["inputs"]], list(args)).hex()
    h = rpc.request("eth_sendTransaction", [{"from": sender, "data": code, "gas": hex(25_000_000)}])
    rc = _receipt(rpc, h)
    assert rc["status"] == "0x1", f"deploying {contract_type.name} failed"
    return DeployedContract(address=rc["contractAddress"], abi=abi)


def _send_as(rpc: HttpJsonRpc, sender: str, c: DeployedContract, fn: str, *args: Any) -> None:
    codec = ContractCodec("x", c.address, c.abi)
    h = rpc.request("eth_sendTransaction", [{"from": sender, "to": c.address, "data": codec.encode(fn, *args), "gas": hex(10_000_000)}])
    assert _receipt(rpc, h)["status"] == "0x1", f"{fn} failed"


def _median_ms(xs: list[float]) -> float:
    return round(statistics.median(xs) * 1000, 3)


def _deploy_protocol(rpc: HttpJsonRpc, project: Any, keepers: list[str]) -> dict[str, DeployedContract]:
    """The whole protocol with the local parameters of hedgekeeper.pool_setup / perp_config, an LP deposit,
    a funded hedge account, and a trader long 20 at-the-money calls (the pool is short gamma)."""
    deployer, trader = rpc.request("eth_accounts", [])[:2]
    quote = _deploy(rpc, deployer, project.MockStablecoin.contract_type)
    feed = _deploy(rpc, deployer, project.MockAggregator.contract_type, 8, "ETH / USD", 2_000 * 10**8)
    oracle = _deploy(rpc, deployer, project.VolatilityOracle.contract_type, feed.address, deployer, 3_600, 7 * 10**17, ORACLE_PARAMS)
    perp = _deploy(rpc, deployer, project.PerpMarket.contract_type, quote.address, feed.address, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    _send_as(rpc, deployer, quote, "mint", deployer, INSURANCE_SEED + LP_CAPITAL)
    _send_as(rpc, deployer, quote, "approve", perp.address, INSURANCE_SEED)
    _send_as(rpc, deployer, perp, "fundInsurance", INSURANCE_SEED)
    pool = _deploy(rpc, deployer, project.OptionsPool.contract_type, quote.address, oracle.address, perp.address, deployer)
    market = _deploy(rpc, deployer, project.OptionMarket.contract_type, oracle.address, pool.address, 6, deployer)
    _send_as(rpc, deployer, pool, "setMarket", market.address)
    _send_as(rpc, deployer, pool, "setPoolParams", POOL_PARAMS)
    _send_as(rpc, deployer, market, "setFeeParams", FEE_PARAMS)
    _send_as(rpc, deployer, market, "setMarketParams", MARKET_PARAMS)
    now = int(rpc.request("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
    expiry = now + 30 * 86_400
    _send_as(rpc, deployer, market, "addBoard", expiry, [(1_600 + 100 * i) * WAD for i in range(9)])
    _send_as(rpc, deployer, oracle, "grantRole", keccak(text="SURFACE_KEEPER_ROLE"), deployer)
    _send_as(rpc, deployer, oracle, "postSurface", expiry, 8 * 10**17, 0)
    _send_as(rpc, deployer, quote, "approve", pool.address, LP_CAPITAL)
    _send_as(rpc, deployer, pool, "refreshGreeks")
    _send_as(rpc, deployer, pool, "deposit", LP_CAPITAL, deployer)
    _send_as(rpc, deployer, pool, "adjustHedgeMargin", 100_000 * QUOTE)
    for k in keepers:
        _send_as(rpc, deployer, pool, "grantRole", keccak(text="KEEPER_ROLE"), k)
    _send_as(rpc, deployer, quote, "mint", trader, 1_000_000 * QUOTE)
    _send_as(rpc, trader, quote, "approve", pool.address, 2**256 - 1)
    _send_as(rpc, trader, market, "openPosition", 4, True, True, 20 * WAD, 0, 2**256 - 1, now + 3_600)
    return {"OptionsPool": pool, "OptionMarket": market, "PerpMarket": perp, "VolatilityOracle": oracle,
            "MockAggregator": feed, "MockStablecoin": quote}


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    from web3 import Web3

    configure_logging(level="warning")
    keeper_key, floor_key = _key(11), _key(12)
    keeper_acct, floor_acct = Account.from_key(keeper_key), Account.from_key(floor_key)
    with AnvilNode() as node, tempfile.TemporaryDirectory() as tmp:
        rpc = HttpJsonRpc(node.url)
        deployer = rpc.request("eth_accounts", [])[0]
        contracts = _deploy_protocol(rpc, project, [keeper_acct.address, floor_acct.address])
        pool, feed = contracts["OptionsPool"], contracts["MockAggregator"]
        dep_path = Deployment(chain_id=31337, block=0, deployer=deployer, contracts=contracts).write(Path(tmp) / "dep.json")
        off = {"margin": False, "oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False, "liquidate_perps": False}
        settings = load_settings(rpc_url=node.url, deployment=dep_path, private_key=keeper_key, journal_path=Path(tmp) / "j.sqlite",
                                 policy="fixed_band", policy_params={"band": 0.0}, duties=off, slippage=0.02)
        app = build_keeper(settings)

        w3 = Web3(Web3.HTTPProvider(node.url))
        floor_pool = w3.eth.contract(address=Web3.to_checksum_address(pool.address), abi=pool.abi)
        floor_nonce = w3.eth.get_transaction_count(floor_acct.address, "pending")
        snapshot_data = floor_pool.encode_abi("keeperSnapshot")
        codec = ContractCodec("OptionsPool", pool.address, pool.abi)
        fields = codec.output_fields("keeperSnapshot")

        price = 2_000.0
        keeper_s: list[float] = []
        read_s: list[float] = []
        floor_s: list[float] = []

        def move(up: bool) -> None:
            nonlocal price
            price *= 1.004 if up else 0.996
            _send_as(rpc, deployer, feed, "setAnswer", int(price * 10**8))
            _send_as(rpc, deployer, pool, "refreshGreeks")

        for i in range(CYCLES):
            move(i % 2 == 0)
            report = app.keeper.cycle()
            assert [(o.kind, o.status) for o in report.outcomes] == [("hedge", "mined")], report.outcomes
            keeper_s.append(report.total_s)
            read_s.append(report.read_s)

            move(i % 2 == 1)
            t0 = time.perf_counter()
            raw = w3.eth.call({"to": floor_pool.address, "data": snapshot_data})
            (values,) = codec.decode("keeperSnapshot", bytes(raw))
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
