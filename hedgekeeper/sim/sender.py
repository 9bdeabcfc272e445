"""The simulator's lean transaction path: locally signed EIP-1559 transactions over the keeper's raw JSON-RPC
connection, a local nonce per account, and a short receipt poll. Ape is used only for deployment.

Every agent sends through one `TxSender`, one transaction at a time, so the order of transactions (and
with anvil's fixed block-timestamp interval, every block's timestamp) depends only on the seed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import rlp
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from hedgekeeper.errors import ChainError, HedgekeeperError
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.errors import RpcError
from hedgekeeper.keeper.rpc import JsonRpc, hex_int

GAS_LIMIT = 3_000_000
MNEMONIC = "test test test test test test test test test test test junk"
Account.enable_unaudited_hdwallet_features()


def mnemonic_account(index: int) -> LocalAccount:
    """Account `index` of the local test mnemonic (funded with ether by anvil and by Ape's test provider)."""
    return Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")  # type: ignore[no-any-return]


def sign_eip1559(account: LocalAccount, chain_id: int, nonce: int, to: str, data: str, gas: int, max_fee: int,
                 max_priority_fee: int = 0, value: int = 0) -> str:
    """The raw signed EIP-1559 transaction (0x hex) with an empty access list: the bytes eth_account's
    `sign_transaction` gives for the same fields (RFC 6979 signatures are deterministic), without re-deriving
    the account's public key and re-validating the dictionary on every call."""
    fields = [chain_id, nonce, max_priority_fee, max_fee, gas, bytes.fromhex(to[2:]), value, bytes.fromhex(data[2:]), []]
    sig = account._key_obj.sign_msg_hash(keccak(b"\x02" + rlp.encode(fields)))
    return "0x02" + rlp.encode([*fields, sig.v, sig.r, sig.s]).hex()


@dataclass
class TxResult:
    ok: bool
    block: int
    gas_used: int
    logs: list[dict[str, Any]]
    revert: str = ""


@dataclass
class SenderStats:
    sent: int = 0
    reverted: int = 0
    seconds: float = 0.0
    by_label: dict[str, int] = field(default_factory=dict)
    reverts_by_label: dict[str, int] = field(default_factory=dict)


class TxSender:
    """Signs, sends and waits for the receipt of one transaction at a time. `poll_s` is the receipt poll."""

    def __init__(self, rpc: JsonRpc, chain_id: int, poll_s: float = 0.001, explain_reverts: bool = False) -> None:
        self.rpc = rpc
        self.chain_id = chain_id
        self.poll_s = poll_s
        self.explain_reverts = explain_reverts
        self._nonces: dict[str, int] = {}
        base_fee = hex_int((rpc.request("eth_getBlockByNumber", ["latest", False]) or {}).get("baseFeePerGas"))
        self.max_fee = 2 * base_fee + 10**9 if base_fee else 0
        self.stats = SenderStats()

    def _nonce(self, account: LocalAccount) -> int:
        if account.address not in self._nonces:
            self._nonces[account.address] = hex_int(self.rpc.request("eth_getTransactionCount", [account.address, "pending"]))
        return self._nonces[account.address]

    def call(self, codec: ContractCodec, fn: str, *args: Any, block: str = "latest") -> tuple[Any, ...]:
        out = self.rpc.request("eth_call", [{"to": codec.address, "data": codec.encode(fn, *args)}, block])
        return codec.decode(fn, out)

    def call_many(self, calls: list[tuple[ContractCodec, str, tuple[Any, ...]]], extra: list[tuple[str, list[Any]]] | None = None,
                  block: str = "latest") -> tuple[list[tuple[Any, ...]], list[Any]]:
        """Several views (`(codec, fn, args)`) and raw read requests `extra` at the same state, in one round
        trip when the transport batches: (decoded outputs, raw results of `extra`)."""
        reqs = [("eth_call", [{"to": c.address, "data": c.encode(fn, *args)}, block]) for c, fn, args in calls] + list(extra or [])
        batch = getattr(self.rpc, "batch", None)
        outs = batch(reqs) if batch is not None else [self.rpc.request(m, p) for m, p in reqs]
        n = len(calls)
        return [c.decode(fn, o) for (c, fn, _), o in zip(calls, outs[:n])], outs[n:]

    def send(self, account: LocalAccount, codec: ContractCodec, fn: str, *args: Any, label: str | None = None) -> TxResult:
        """Send `codec.fn(*args)` from `account` and wait for its receipt. A revert is reported, not raised."""
        t0 = time.perf_counter()
        data = codec.encode(fn, *args)
        nonce = self._nonce(account)
        raw = sign_eip1559(account, self.chain_id, nonce, codec.address, data, GAS_LIMIT, self.max_fee)
        try:
            tx_hash = self.rpc.request("eth_sendRawTransaction", [raw])
        except RpcError as exc:
            self._nonces.pop(account.address, None)
            raise ChainError(f"{label or fn}: the node refused the transaction: {exc.message}") from None
        self._nonces[account.address] = nonce + 1
        while True:
            rc = self.rpc.request("eth_getTransactionReceipt", [tx_hash])
            if rc:
                break
            time.sleep(self.poll_s)
        ok = hex_int(rc.get("status")) == 1
        name = label or fn
        self.stats.sent += 1
        self.stats.by_label[name] = self.stats.by_label.get(name, 0) + 1
        revert = ""
        if not ok:
            self.stats.reverted += 1
            self.stats.reverts_by_label[name] = self.stats.reverts_by_label.get(name, 0) + 1
            if self.explain_reverts:
                revert = self._explain(account, codec, data, hex_int(rc.get("blockNumber")))
        self.stats.seconds += time.perf_counter() - t0
        return TxResult(ok, hex_int(rc.get("blockNumber")), hex_int(rc.get("gasUsed")), list(rc.get("logs") or []), revert)

    def _explain(self, account: LocalAccount, codec: ContractCodec, data: str, block: int) -> str:
        try:
            self.rpc.request("eth_call", [{"from": account.address, "to": codec.address, "data": data}, hex(max(block - 1, 0))])
        except RpcError as exc:
            return codec.describe_revert(exc.data) if isinstance(exc.data, str) else exc.message
        return "reverted"


def set_next_timestamp(rpc: JsonRpc, timestamp: int) -> None:
    """The next block is stamped `timestamp` (later blocks follow at the node's fixed interval)."""
    rpc.request("evm_setNextBlockTimestamp", [int(timestamp)])


def fix_block_interval(rpc: JsonRpc, seconds: int = 1) -> None:
    """Make anvil stamp every new block `seconds` after the previous one, whatever the wall clock says,
    so block times (and everything that accrues with time) are reproducible."""
    try:
        rpc.request("anvil_setBlockTimestampInterval", [int(seconds)])
    except RpcError as exc:
        raise ChainError(f"the node does not support anvil_setBlockTimestampInterval (an anvil is needed): {exc.message}") from None


def release_block_interval(rpc: JsonRpc) -> None:
    """Back to anvil's wall-clock block times."""
    try:
        rpc.request("anvil_removeBlockTimestampInterval", [])
    except (RpcError, HedgekeeperError):
        pass


def head_timestamp(rpc: JsonRpc) -> int:
    return hex_int(rpc.request("eth_getBlockByNumber", ["latest", False])["timestamp"])
