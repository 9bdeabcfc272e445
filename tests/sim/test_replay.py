"""The transaction log behind the simulation benchmark's replay: what it records, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from hedgekeeper.sim.replay import ReplayError, TxLog, replay, tx_hash


class FakeNode:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def request(self, method: str, params: list[Any]) -> Any:
        self.seen.append(method)
        if method == "eth_sendRawTransaction" and params[0] == "0xbad":
            raise RuntimeError("refused")
        return "0x1"


def test_log_records_only_state_changes_after_activation_in_order_once():
    log = TxLog()
    rpc = log.wrap(FakeNode())
    rpc.request("eth_sendRawTransaction", ["0xAA"])  # before the snapshot: not recorded
    log.active = True
    rpc.request("anvil_setBalance", ["0x01", "0x10"])
    log.start_loop()
    rpc.request("evm_setNextBlockTimestamp", [100])
    rpc.request("eth_call", [{}, "latest"])
    rpc.request("eth_sendRawTransaction", ["0xAB"])
    rpc.request("eth_sendRawTransaction", ["0xab"])  # a re-broadcast
    with pytest.raises(RuntimeError):
        rpc.request("eth_sendRawTransaction", ["0xbad"])  # refused: never mined, not recorded
    assert log.entries == [("anvil_setBalance", ["0x01", "0x10"]), ("evm_setNextBlockTimestamp", [100]),
                           ("eth_sendRawTransaction", ["0xab"])]
    assert log.loop_start == 1
    assert log.transactions() == ["0xab"]


def test_tx_hash_is_keccak_of_raw_bytes():
    assert tx_hash("0x") == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_replay_refuses_without_snapshot_or_log():
    log = TxLog(active=True)
    with pytest.raises(ReplayError, match="snapshot"):
        replay("http://127.0.0.1:1", FakeNode(), log, "")
    with pytest.raises(ReplayError, match="no transactions"):
        replay("http://127.0.0.1:1", FakeNode(), log, "0x1")


def test_recording_transport_batches_reads_only_and_records_none():
    log = TxLog(active=True)
    node = FakeNode()
    rpc = log.wrap(node)  # FakeNode has no batch: one request each, in order
    assert rpc.batch([("eth_call", [{}, "latest"]), ("eth_blockNumber", [])]) == ["0x1", "0x1"]
    assert node.seen == ["eth_call", "eth_blockNumber"] and log.entries == []
    with pytest.raises(ValueError, match="only reads"):
        rpc.batch([("eth_call", [{}, "latest"]), ("eth_sendRawTransaction", ["0xab"])])
    assert node.seen == ["eth_call", "eth_blockNumber"] and log.entries == []
