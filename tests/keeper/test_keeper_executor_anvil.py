"""The executor and its journal against a real anvil, with plain token transfers: exactly-once delivery
across crashes, lost answers, dropped transactions and nonce conflicts."""

from __future__ import annotations

import json
import subprocess
import time
import sys
from pathlib import Path

import pytest
from eth_account import Account
from keeper_chain import FlakyRpc, mnemonic_key, nonce_of

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.calls import ContractCall
from hedgekeeper.keeper.executor import Executor, ExecutorHooks
from hedgekeeper.keeper.journal import Journal
from hedgekeeper.keeper.rpc import HttpJsonRpc, RetryingRpc, build_rpc
from hedgekeeper.keeper.settings import load_settings

pytestmark = pytest.mark.anvil

AMOUNT = 1_000_000
HERE = Path(__file__).resolve().parent


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def keeper_key():
    return mnemonic_key(7)


@pytest.fixture(scope="module")
def keeper_address(keeper_key):
    return Account.from_key(keeper_key).address


@pytest.fixture(scope="module")
def rpc_url(chain):
    return chain.provider.http_uri


@pytest.fixture(scope="module")
def token(project, deployer, keeper_address):
    t = deployer.deploy(project.MockStablecoin)
    t.mint(keeper_address, 10**15, sender=deployer)
    return t


@pytest.fixture(scope="module")
def codec(token):
    abi = [item.model_dump(mode="json", by_alias=True) for item in token.contract_type.abi]
    return ContractCodec("MockStablecoin", str(token.address), abi)


@pytest.fixture
def recipient():
    return Account.create().address


def transfer(codec, to, amount=AMOUNT):
    return ContractCall(codec, "transfer", codec.encode("transfer", to, amount))


def make_executor(url, key, journal_path, rpc=None, hooks=None, **settings):
    rpc = rpc or build_rpc(url)
    s = load_settings(journal_path=journal_path, **settings)
    return Executor(rpc, Account.from_key(key), int(rpc.request("eth_chainId", []), 16), Journal(journal_path), s, hooks=hooks)


def test_transfers_are_mined_and_journaled(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite")
    start = nonce_of(ex.rpc, keeper_address)
    outs = [ex.execute(transfer(codec, recipient), "transfer", {"i": i}, 0.0) for i in range(5)]
    assert [o.status for o in outs] == ["mined"] * 5
    assert token.balanceOf(recipient) == 5 * AMOUNT
    assert nonce_of(ex.rpc, keeper_address) == start + 5
    rows = Journal(tmp_path / "j.sqlite").all()  # durable: a second connection sees every row
    assert [(r.status, r.nonce, r.action) for r in rows] == [("mined", start + i, {"i": i}) for i in range(5)]
    assert all(r.raw_tx and r.tx_hash and r.gas_used for r in rows)


def test_revert_is_recorded_with_the_decoded_error(rpc_url, keeper_key, codec, token, recipient, tmp_path):
    ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite")
    out = ex.execute(transfer(codec, recipient, 10**30), "transfer", {}, 0.0)
    assert out.status == "reverted" and "ERC20InsufficientBalance" in out.detail
    est = make_executor(rpc_url, keeper_key, tmp_path / "k.sqlite", gas={"estimate": True})
    out = est.execute(transfer(codec, recipient, 10**30), "transfer", {}, 0.0)
    assert out.status == "rejected" and "would revert: ERC20InsufficientBalance" in out.detail
    assert est.execute(transfer(codec, recipient), "transfer", {}, 0.0).status == "mined"
    assert token.balanceOf(recipient) == AMOUNT


@pytest.mark.parametrize("crash", ["after_send", "before_send"])
def test_killed_process_neither_repeats_nor_loses_the_transaction(crash, rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    journal = tmp_path / "j.sqlite"
    abi_file = tmp_path / "abi.json"
    abi_file.write_text(json.dumps([item.model_dump(mode="json", by_alias=True) for item in token.contract_type.abi]))
    rpc = build_rpc(rpc_url)
    start = nonce_of(rpc, keeper_address)
    args = {"rpc": rpc_url, "token": str(token.address), "abi_file": str(abi_file), "key": keeper_key, "journal": str(journal),
            "to": recipient, "amount": AMOUNT, "crash": crash}
    child = subprocess.run([sys.executable, str(HERE / "crash_child.py"), json.dumps(args)], capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    (pending,) = Journal(journal).pending()
    expected_sent = crash == "after_send"
    assert token.balanceOf(recipient) == (AMOUNT if expected_sent else 0)
    assert pending.status == ("sent" if expected_sent else "signed")

    ex = make_executor(rpc_url, keeper_key, journal)  # the restarted keeper
    (out,) = ex.reconcile()
    assert out.status == "mined" and out.tx_hash == pending.tx_hash
    assert ex.stats.rebroadcasts == (0 if expected_sent else 1)
    assert token.balanceOf(recipient) == AMOUNT
    assert nonce_of(rpc, keeper_address) == start + 1
    assert ex.reconcile() == [] and Journal(journal).pending() == []
    assert ex.execute(transfer(codec, recipient), "transfer", {}, 0.0).status == "mined"  # nonce resynced
    assert token.balanceOf(recipient) == 2 * AMOUNT


def test_transaction_dropped_by_the_node_is_rebroadcast_once(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    journal = tmp_path / "j.sqlite"
    rpc = build_rpc(rpc_url)
    start = nonce_of(rpc, keeper_address)

    def interrupt(_id):
        raise Interrupted()

    rpc.request("evm_setAutomine", [False])
    try:
        ex = make_executor(rpc_url, keeper_key, journal, hooks=ExecutorHooks(after_send=interrupt))
        with pytest.raises(Interrupted):
            ex.execute(transfer(codec, recipient), "transfer", {}, 0.0)
        rpc.request("anvil_dropAllTransactions", [])
        rpc.request("evm_mine", [])
    finally:
        rpc.request("evm_setAutomine", [True])
    assert token.balanceOf(recipient) == 0
    restarted = make_executor(rpc_url, keeper_key, journal)
    (out,) = restarted.reconcile()
    assert out.status == "mined" and restarted.stats.rebroadcasts == 1
    assert token.balanceOf(recipient) == AMOUNT and nonce_of(rpc, keeper_address) == start + 1


def test_receipt_timeout_leaves_it_pending_then_reconciled(rpc_url, keeper_key, codec, token, recipient, tmp_path):
    rpc = build_rpc(rpc_url)
    rpc.request("evm_setAutomine", [False])
    try:
        ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite", receipt_timeout_s=0.05)
        out = ex.execute(transfer(codec, recipient), "hedge", {}, 0.0)
        assert out.status == "pending"
        again = ex.execute(transfer(codec, recipient), "hedge", {}, 0.0)
        assert again.status == "skipped" and "pending" in again.detail  # one pending hedge at a time
        rpc.request("evm_mine", [])
    finally:
        rpc.request("evm_setAutomine", [True])
    (done,) = ex.reconcile()
    assert done.status == "mined" and done.tx_hash == out.tx_hash
    assert token.balanceOf(recipient) == AMOUNT


def test_nonce_conflict_resyncs_and_resends(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite")
    assert ex.execute(transfer(codec, recipient), "transfer", {}, 0.0).status == "mined"
    other = make_executor(rpc_url, keeper_key, tmp_path / "other.sqlite")  # another process with the same key
    assert other.execute(transfer(codec, recipient, 2 * AMOUNT), "transfer", {}, 0.0).status == "mined"
    out = ex.execute(transfer(codec, recipient), "transfer", {}, 0.0)  # its cached nonce is now taken
    assert out.status == "mined"
    statuses = [r.status for r in ex.journal.all()]
    assert statuses == ["mined", "dropped", "mined"]
    assert ex.nonces.resyncs == 1
    assert token.balanceOf(recipient) == 4 * AMOUNT


def test_injected_transient_errors_cause_no_duplicates_and_no_losses(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    flaky = FlakyRpc(HttpJsonRpc(rpc_url), every_before=4, every_after=3)
    rpc = RetryingRpc(flaky, attempts=8)
    start = nonce_of(build_rpc(rpc_url), keeper_address)
    ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite", rpc=rpc)
    outs = [ex.execute(transfer(codec, recipient), "transfer", {"i": i}, 0.0) for i in range(12)]
    outs += [o for o in ex.reconcile()]
    assert flaky.failed_before > 3 and flaky.failed_after > 3
    assert "eth_sendRawTransaction" in flaky.failed_methods and rpc.retries >= flaky.failed_before + flaky.failed_after - 1
    assert token.balanceOf(recipient) == 12 * AMOUNT
    assert nonce_of(build_rpc(rpc_url), keeper_address) == start + 12
    mined = [r for r in ex.journal.all() if r.status == "mined"]
    assert sorted(r.action["i"] for r in mined) == list(range(12))
    assert not ex.journal.pending()


def test_dry_run_sends_nothing(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    ex = make_executor(rpc_url, keeper_key, tmp_path / "j.sqlite", dry_run=True)
    start = nonce_of(ex.rpc, keeper_address)
    out = ex.execute(transfer(codec, recipient), "transfer", {"x": 1}, 0.0)
    assert out.status == "dry_run"
    assert nonce_of(ex.rpc, keeper_address) == start and token.balanceOf(recipient) == 0
    assert [(r.status, r.tx_hash) for r in ex.journal.all()] == [("dry_run", None)]


def test_stuck_transaction_is_replaced_with_higher_fees_and_lands_once(rpc_url, keeper_key, keeper_address, codec, token, recipient, tmp_path):
    rpc = build_rpc(rpc_url)
    start = nonce_of(rpc, keeper_address)
    journal = tmp_path / "j.sqlite"
    rpc.request("evm_setAutomine", [False])
    try:
        ex = make_executor(rpc_url, keeper_key, journal, receipt_timeout_s=0.02, gas={"replace_after_s": 0.01})
        first = ex.execute(transfer(codec, recipient), "transfer", {"n": 1}, 0.0)
        assert first.status == "pending"
        time.sleep(0.02)
        (replaced,) = ex.reconcile()
        assert replaced.status == "pending" and "replaces intent" in replaced.detail and ex.stats.replacements == 1
        old, new = ex.journal.pending()
        assert (old.nonce, new.nonce, new.replaces) == (start, start, old.id)
        assert new.tx["maxFeePerGas"] > old.tx["maxFeePerGas"] and new.tx["maxPriorityFeePerGas"] > old.tx["maxPriorityFeePerGas"]
        rpc.request("evm_mine", [])
    finally:
        rpc.request("evm_setAutomine", [True])
    outs = {o.intent_id: o for o in ex.reconcile()}
    assert outs[old.id].status == "dropped" and outs[new.id].status == "mined"
    assert token.balanceOf(recipient) == AMOUNT and nonce_of(rpc, keeper_address) == start + 1
    assert not ex.journal.pending()
