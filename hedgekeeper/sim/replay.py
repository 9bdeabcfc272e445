"""Record every state-changing request a simulation makes after deployment (the raw signed transactions of
the agents' sender and of the keeper's executor, and the node calls that set block times and balances), in
the order the node accepted them, and replay exactly that log through plain web3.py against the same node
reverted to the post-deployment snapshot.

The replay is the raw JSON-RPC floor of the run: the same transactions, in the same blocks at the same
times, with nothing around them but `send_raw_transaction` and a receipt poll. The part of the log sent
before the run's step loop (funding the agents) is replayed untimed, like the run leaves it untimed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.keeper.rpc import JsonRpc, hex_int

RECORDED = ("eth_sendRawTransaction", "evm_setNextBlockTimestamp", "anvil_setBalance", "evm_mine")


class ReplayError(HedgekeeperError):
    """The replay could not be set up (no snapshot, nothing recorded) or the node refused a transaction."""


@dataclass
class TxLog:
    """The recorded requests, in order. `loop_start` is the index of the first one sent by the step loop."""

    entries: list[tuple[str, list[Any]]] = field(default_factory=list)
    active: bool = False
    loop_start: int = 0
    _raws: set[str] = field(default_factory=set)

    def add(self, method: str, params: list[Any]) -> None:
        if not self.active or method not in RECORDED:
            return
        if method == "eth_sendRawTransaction":
            raw = str(params[0]).lower()
            if raw in self._raws:  # a re-broadcast of a transaction the node already has
                return
            self._raws.add(raw)
            params = [raw]
        self.entries.append((method, list(params)))

    def start_loop(self) -> None:
        self.loop_start = len(self.entries)

    def transactions(self) -> list[str]:
        return [p[0] for m, p in self.entries if m == "eth_sendRawTransaction"]

    def wrap(self, inner: JsonRpc) -> RecordingRpc:
        return RecordingRpc(inner, self)


class RecordingRpc:
    """A JSON-RPC transport that adds every successful state-changing request to a `TxLog`."""

    def __init__(self, inner: JsonRpc, log: TxLog) -> None:
        self.inner = inner
        self.log = log

    def request(self, method: str, params: list[Any]) -> Any:
        result = self.inner.request(method, params)
        self.log.add(method, params)
        return result

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """Reads in one round trip when the transport can batch (state-changing requests are not batched)."""
        if any(m in RECORDED for m, _ in calls):
            raise ValueError("only reads are batched")
        batch = getattr(self.inner, "batch", None)
        if batch is None:
            return [self.inner.request(m, p) for m, p in calls]
        return list(batch(calls))

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def tx_hash(raw: str) -> str:
    return "0x" + keccak(hexstr=raw).hex().removeprefix("0x")


@dataclass(frozen=True)
class ChainOutcome:
    """Receipt statuses (1 ok, 0 reverted) and blocks of the recorded transactions, in order, and the head."""

    statuses: list[int]
    blocks: list[int]
    head_number: int
    head_hash: str
    state_root: str


def read_outcome(rpc: JsonRpc, log: TxLog) -> ChainOutcome:
    statuses, blocks = [], []
    for raw in log.transactions():
        rc = rpc.request("eth_getTransactionReceipt", [tx_hash(raw)])
        if not rc:
            raise ReplayError(f"no receipt for recorded transaction {tx_hash(raw)}")
        statuses.append(hex_int(rc.get("status")))
        blocks.append(hex_int(rc.get("blockNumber")))
    head = rpc.request("eth_getBlockByNumber", ["latest", False])
    return ChainOutcome(statuses, blocks, hex_int(head["number"]), str(head["hash"]), str(head.get("stateRoot", "")))


@dataclass(frozen=True)
class ReplayResult:
    seconds: float  # wall time of the step loop's part of the log
    transactions: int  # all replayed (funding included)
    loop_transactions: int
    run: ChainOutcome
    replay: ChainOutcome

    @property
    def same_statuses(self) -> bool:
        return self.run.statuses == self.replay.statuses

    @property
    def same_blocks(self) -> bool:
        return self.run.blocks == self.replay.blocks

    @property
    def same_state(self) -> bool:
        return bool(self.run.state_root) and self.run.state_root == self.replay.state_root


def replay(url: str, rpc: JsonRpc, log: TxLog, snapshot_id: str, poll_s: float = 0.001) -> ReplayResult:
    """Read the run's outcome, revert the node to `snapshot_id` and send the log again through web3.py.
    The node must stamp blocks one second apart (as during the run) for the block times to repeat."""
    from web3 import Web3

    if not snapshot_id:
        raise ReplayError("no post-deployment snapshot to revert to (run the simulation with record=True)")
    if not log.entries:
        raise ReplayError("the run recorded no transactions")
    run = read_outcome(rpc, log)
    if not rpc.request("evm_revert", [snapshot_id]):
        raise ReplayError(f"the node could not revert to snapshot {snapshot_id}")
    w3 = Web3(Web3.HTTPProvider(url))
    statuses: list[int] = []
    t0 = time.perf_counter()
    for i, (method, params) in enumerate(log.entries):
        if i == log.loop_start:
            t0 = time.perf_counter()
        if method == "eth_sendRawTransaction":
            h = w3.eth.send_raw_transaction(params[0])
            rc = w3.eth.wait_for_transaction_receipt(h, poll_latency=poll_s)
            statuses.append(int(rc["status"]))
        else:
            answer = w3.provider.make_request(method, params)  # type: ignore[arg-type]
            if answer.get("error"):
                raise ReplayError(f"replay: {method} refused: {answer['error']}")
    seconds = time.perf_counter() - t0
    again = read_outcome(rpc, log)
    loop_txs = sum(1 for m, _ in log.entries[log.loop_start:] if m == "eth_sendRawTransaction")
    return ReplayResult(seconds, len(statuses), loop_txs, run, again)
