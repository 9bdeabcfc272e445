"""The executor (Chainlink Automation's "perform"): signs locally, journals, sends, and waits for receipts.

- one transaction lock: one transaction in flight at a time, in nonce order;
- one nonce manager: pending-block nonce at start, local increments, resync on "nonce too low";
- every intent is journaled with its signed raw transaction and hash BEFORE it is sent;
- receipts are polled every `receipt_poll_s` (5 ms by default) over the raw JSON-RPC connection;
- transient RPC failures are retried (RetryingRpc); re-sending the same signed bytes is harmless, and
  "already known" / "nonce too low" answers are resolved by looking the hash up;
- `reconcile()` settles journaled intents left pending by a crash or a timeout: receipt found -> final;
  in the mempool -> wait; unknown to the node -> re-broadcast the same signed bytes;
- at most one pending hedge; dry-run records decisions without signing or sending."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount

from hedgekeeper.keeper.calls import ContractCall
from hedgekeeper.keeper.errors import RpcError, TransientRpcError
from hedgekeeper.keeper.gas import GasPricer
from hedgekeeper.keeper.journal import Intent, Journal
from hedgekeeper.keeper.nonce import NonceManager
from hedgekeeper.keeper.rpc import JsonRpc, hex_int
from hedgekeeper.keeper.settings import KeeperSettings

_KNOWN = ("already known", "already imported", "known transaction", "already exists", "already in the mempool")
_NONCE_LOW = ("nonce too low", "nonce is too low", "oldnonce", "nonce has already been used")
MAX_NONCE_CONFLICTS = 3


def _hex(b: bytes) -> str:
    h = bytes(b).hex()
    return h if h.startswith("0x") else "0x" + h


@dataclass
class ExecutorHooks:
    """Test and instrumentation hooks, called with the intent id."""

    before_send: Callable[[int], None] = lambda _id: None
    after_send: Callable[[int], None] = lambda _id: None


@dataclass(frozen=True)
class Outcome:
    """What became of one action. status: mined, reverted, pending, dropped, rejected, dry_run, skipped."""

    kind: str
    status: str
    intent_id: int | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    gas_used: int | None = None
    detail: str = ""
    send_latency_s: float = 0.0


@dataclass
class ExecutorStats:
    sent: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    rebroadcasts: int = 0
    replacements: int = 0

    def count(self, table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1


class Executor:
    def __init__(
        self,
        rpc: JsonRpc,
        account: LocalAccount,
        chain_id: int,
        journal: Journal,
        settings: KeeperSettings,
        nonces: NonceManager | None = None,
        gas: GasPricer | None = None,
        hooks: ExecutorHooks | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rpc = rpc
        self.account = account
        self.chain_id = chain_id
        self.journal = journal
        self.settings = settings
        self.nonces = nonces or NonceManager(rpc, account.address)
        self.gas = gas or GasPricer(rpc, settings.gas)
        self.hooks = hooks or ExecutorHooks()
        self.sleep = sleep
        self.stats = ExecutorStats()
        self._lock = threading.RLock()

    # -- signing and sending -------------------------------------------------------------------------

    def _gas_limit(self, call: ContractCall) -> int:
        if not self.settings.gas.estimate:
            return self.settings.gas.gas_limit
        est = hex_int(self.rpc.request("eth_estimateGas", [{"from": self.account.address, "to": call.to, "data": call.data}]))
        return min(int(est * 1.25) + 10_000, self.settings.gas.gas_limit)

    def sign(self, call: ContractCall, nonce: int, gas_limit: int) -> tuple[str, str, dict[str, Any]]:
        """(raw transaction hex, transaction hash hex, unsigned transaction) of `call` at `nonce`."""
        fees = self.gas.fees()
        tx: dict[str, Any] = {
            "type": 2,
            "chainId": self.chain_id,
            "nonce": nonce,
            "to": call.to,
            "data": call.data,
            "value": 0,
            "gas": gas_limit,
            "maxFeePerGas": fees.max_fee_per_gas,
            "maxPriorityFeePerGas": fees.max_priority_fee_per_gas,
        }
        signed = self.account.sign_transaction(tx)
        return _hex(signed.raw_transaction), _hex(signed.hash), tx

    def _sign_tx(self, tx: dict[str, Any]) -> tuple[str, str]:
        signed = self.account.sign_transaction(tx)
        return _hex(signed.raw_transaction), _hex(signed.hash)

    def _broadcast(self, raw: str, tx_hash: str) -> str:
        """"sent" when the node has (or had) this transaction, "nonce_conflict" when its nonce went to
        another transaction. Raises RpcError when the node refuses it, TransientRpcError when unreachable."""
        try:
            self.rpc.request("eth_sendRawTransaction", [raw])
            return "sent"
        except RpcError as exc:
            msg = exc.message.lower()
            if any(s in msg for s in _KNOWN):
                return "sent"
            if any(s in msg for s in _NONCE_LOW):
                if self.receipt(tx_hash) is not None or self._in_mempool(tx_hash):
                    return "sent"  # our own transaction, accepted by an earlier attempt whose answer was lost
                return "nonce_conflict"
            raise

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        result = self.rpc.request("eth_getTransactionReceipt", [tx_hash])
        return result if result else None

    def _in_mempool(self, tx_hash: str) -> bool:
        return bool(self.rpc.request("eth_getTransactionByHash", [tx_hash]))

    def _revert_reason(self, call: ContractCall | None, receipt: dict[str, Any]) -> str:
        if call is None:
            return "reverted"
        block = hex_int(receipt.get("blockNumber"))
        try:
            self.rpc.request("eth_call", [{"from": self.account.address, "to": call.to, "data": call.data}, hex(max(block - 1, 0))])
        except RpcError as exc:
            return call.codec.describe_revert(exc.data if isinstance(exc.data, str) else None) if exc.data else exc.message
        except TransientRpcError:
            pass
        return "reverted"

    def _finish(self, intent_id: int, kind: str, tx_hash: str, receipt: dict[str, Any], call: ContractCall | None, t0: float) -> Outcome:
        block = hex_int(receipt.get("blockNumber"))
        gas_used = hex_int(receipt.get("gasUsed"))
        if hex_int(receipt.get("status")) == 1:
            self.journal.mark_final(intent_id, "mined", block, gas_used)
            self.stats.count(self.stats.sent, kind)
            return Outcome(kind, "mined", intent_id, tx_hash, block, gas_used, send_latency_s=time.perf_counter() - t0)
        reason = self._revert_reason(call, receipt)
        self.journal.mark_final(intent_id, "reverted", block, gas_used, reason)
        self.stats.count(self.stats.failures, kind)
        return Outcome(kind, "reverted", intent_id, tx_hash, block, gas_used, reason, time.perf_counter() - t0)

    def wait_receipt(self, tx_hash: str, timeout_s: float | None = None) -> dict[str, Any] | None:
        """Poll for the receipt every `receipt_poll_s` until it arrives or `timeout_s` passes."""
        timeout = self.settings.receipt_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout
        while True:
            rc = self.receipt(tx_hash)
            if rc is not None:
                return rc
            if time.monotonic() >= deadline:
                return None
            self.sleep(self.settings.receipt_poll_s)

    def _await(self, intent: int, kind: str, tx_hash: str, call: ContractCall | None, t0: float) -> Outcome:
        try:
            rc = self.wait_receipt(tx_hash)
        except TransientRpcError as exc:
            self.stats.count(self.stats.failures, kind)
            return Outcome(kind, "pending", intent, tx_hash, detail=f"receipt unavailable: {exc}")
        if rc is None:
            return Outcome(kind, "pending", intent, tx_hash, detail=f"no receipt after {self.settings.receipt_timeout_s:.0f}s")
        return self._finish(intent, kind, tx_hash, rc, call, t0)

    # -- public --------------------------------------------------------------------------------------

    def execute(self, call: ContractCall, kind: str, action: dict[str, Any], chain_ts: float) -> Outcome:
        """Journal, sign, send and wait for one action's transaction."""
        with self._lock:
            t0 = time.perf_counter()
            if self.settings.dry_run:
                iid = self.journal.record(kind, action, chain_ts, status="dry_run")
                return Outcome(kind, "dry_run", iid, detail=f"{call.function} not sent (dry run)")
            if kind == "hedge" and self.journal.has_pending("hedge"):
                return Outcome(kind, "skipped", detail="a hedge transaction is still pending")
            try:
                gas_limit = self._gas_limit(call)
            except RpcError as exc:
                reason = call.codec.describe_revert(exc.data) if isinstance(exc.data, str) else exc.message
                iid = self.journal.record(kind, action, chain_ts, status="rejected")
                self.journal.mark_final(iid, "rejected", detail=f"would revert: {reason}")
                self.stats.count(self.stats.failures, kind)
                return Outcome(kind, "rejected", iid, detail=f"would revert: {reason}")
            for _ in range(MAX_NONCE_CONFLICTS):
                nonce = self.nonces.reserve()
                raw, tx_hash, tx = self.sign(call, nonce, gas_limit)
                iid = self.journal.record(kind, action, chain_ts, "signed", nonce, tx_hash, raw, tx=tx)
                self.hooks.before_send(iid)
                try:
                    result = self._broadcast(raw, tx_hash)
                except RpcError as exc:
                    self.journal.mark_final(iid, "rejected", detail=exc.message)
                    self.nonces.resync()
                    self.stats.count(self.stats.failures, kind)
                    return Outcome(kind, "rejected", iid, tx_hash, detail=exc.message)
                except TransientRpcError as exc:
                    # May or may not have reached the node: the journal keeps it for reconcile().
                    self.stats.count(self.stats.failures, kind)
                    return Outcome(kind, "pending", iid, tx_hash, detail=f"send unconfirmed: {exc}")
                if result == "nonce_conflict":
                    self.journal.mark_final(iid, "dropped", detail=f"nonce {nonce} used by another transaction")
                    self.nonces.resync()
                    continue
                self.journal.mark_sent(iid)
                self.hooks.after_send(iid)
                return self._await(iid, kind, tx_hash, call, t0)
            self.stats.count(self.stats.failures, kind)
            return Outcome(kind, "dropped", detail=f"nonce taken {MAX_NONCE_CONFLICTS} times in a row")

    def reconcile(self) -> list[Outcome]:
        """Settle every journaled intent still pending (after a crash, a timeout or a lost answer)."""
        outcomes: list[Outcome] = []
        with self._lock:
            pending = self.journal.pending()
            for it in pending:
                outcomes.append(self._reconcile_one(it))
            if pending:
                self.nonces.resync()
        return outcomes

    def _reconcile_one(self, it: Intent) -> Outcome:
        t0 = time.perf_counter()
        if it.tx_hash is None or it.raw_tx is None:  # never signed: nothing can have been sent
            self.journal.mark_final(it.id, "rejected", detail="no signed transaction")
            return Outcome(it.kind, "rejected", it.id, detail="no signed transaction")
        try:
            rc = self.receipt(it.tx_hash)
            if rc is not None:
                return self._finish(it.id, it.kind, it.tx_hash, rc, None, t0)
            newer = self.journal.replacement_of(it.id)
            if not self._in_mempool(it.tx_hash):
                self.stats.rebroadcasts += 1
                try:
                    result = self._broadcast(it.raw_tx, it.tx_hash)
                except RpcError as exc:
                    if newer is not None and "underpriced" in exc.message.lower():
                        result = "nonce_conflict"  # superseded by its own fee-bumped replacement
                    else:
                        raise
                if result == "nonce_conflict":
                    why = f"replaced by intent {newer.id}" if newer is not None else "nonce used by another transaction"
                    self.journal.mark_final(it.id, "dropped", detail=why)
                    return Outcome(it.kind, "dropped", it.id, it.tx_hash, detail=why)
            elif newer is None and self._stuck(it):
                return self._replace(it)
            self.journal.mark_sent(it.id)
        except RpcError as exc:
            self.journal.mark_final(it.id, "rejected", detail=exc.message)
            return Outcome(it.kind, "rejected", it.id, it.tx_hash, detail=exc.message)
        except TransientRpcError as exc:
            return Outcome(it.kind, "pending", it.id, it.tx_hash, detail=str(exc))
        if newer is not None:
            return Outcome(it.kind, "pending", it.id, it.tx_hash, detail=f"replaced by intent {newer.id}")
        return self._await(it.id, it.kind, it.tx_hash, None, t0)

    def _stuck(self, it: Intent) -> bool:
        after = self.settings.gas.replace_after_s
        since = it.sent_at if it.sent_at is not None else it.created_at
        return after > 0 and it.tx is not None and time.time() - since >= after

    def _replace(self, it: Intent) -> Outcome:
        """Re-sign a stuck transaction at the same nonce with fees raised by 12.5% (at least to the current
        strategy's fees) and journal it as a new intent that replaces the old one. Whichever of the two is
        mined, the other is then found dropped: still exactly one."""
        assert it.tx is not None
        fees = self.gas.fees()
        tx = dict(it.tx)
        tx["maxPriorityFeePerGas"] = max(int(tx["maxPriorityFeePerGas"]) * 9 // 8 + 1, fees.max_priority_fee_per_gas)
        tx["maxFeePerGas"] = max(int(tx["maxFeePerGas"]) * 9 // 8 + 1, fees.max_fee_per_gas, tx["maxPriorityFeePerGas"])
        raw, tx_hash = self._sign_tx(tx)
        new_id = self.journal.record(it.kind, it.action, it.chain_ts, "signed", it.nonce, tx_hash, raw, tx=tx, replaces=it.id)
        self.stats.replacements += 1
        self._broadcast(raw, tx_hash)
        self.journal.mark_sent(new_id)
        return Outcome(it.kind, "pending", new_id, tx_hash, detail=f"replaces intent {it.id} with fees +12.5%")
