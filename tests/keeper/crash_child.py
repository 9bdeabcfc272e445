"""Run by the restart tests in a separate process: send one token transfer through the keeper's executor
and SIGKILL this process at the chosen moment (before the signed transaction is sent, or after it is sent
and before its receipt is read)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from eth_account import Account

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.calls import ContractCall
from hedgekeeper.keeper.executor import Executor, ExecutorHooks
from hedgekeeper.keeper.journal import Journal
from hedgekeeper.keeper.rpc import build_rpc, hex_int
from hedgekeeper.keeper.settings import load_settings


def main() -> None:
    args = json.loads(sys.argv[1])
    rpc = build_rpc(args["rpc"])
    abi = json.loads(Path(args["abi_file"]).read_text())
    token = ContractCodec("MockStablecoin", args["token"], abi)
    settings = load_settings(journal_path=args["journal"])
    kill = lambda _id: os.kill(os.getpid(), signal.SIGKILL)  # noqa: E731
    hooks = ExecutorHooks(before_send=kill) if args["crash"] == "before_send" else ExecutorHooks(after_send=kill)
    chain_id = hex_int(rpc.request("eth_chainId", []))
    ex = Executor(rpc, Account.from_key(args["key"]), chain_id, Journal(args["journal"]), settings, hooks=hooks)
    ex.execute(ContractCall(token, "transfer", token.encode("transfer", args["to"], args["amount"])), "transfer", {"n": 1}, 0.0)
    sys.exit(3)  # not reached: the hook kills the process


if __name__ == "__main__":
    main()
