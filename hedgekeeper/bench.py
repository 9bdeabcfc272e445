"""`python -m hedgekeeper.bench`: run every benchmark and print one JSON document.

    {"gas": {name: gas}, "<section>": {...}, ...}

`--write-gas-snapshot` also writes the gas figures to gas-snapshot.json, which the test suite compares
against so that a gas regression fails the build."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from hedgekeeper.toolchain import activate

SNAPSHOT_NAME = "gas-snapshot.json"


def snapshot_path() -> Path:
    return activate() / SNAPSHOT_NAME


DAY_SECONDS = 86_400


def pin_chain_time(chain: Any) -> None:
    """Move the chain's clock to a midnight (UTC) at least a day ahead. Gas of pricing code depends on
    time to expiry, and on py-evm the clock otherwise follows the wall clock; pinned, every block after
    this one is one second later than the last, so each benchmark measures the same inputs every run."""
    chain.pending_timestamp = (chain.pending_timestamp // DAY_SECONDS + 2) * DAY_SECONDS


def run_gas_benchmarks(project: Any, accounts: Any) -> dict[str, int]:
    from ape import chain

    from hedgekeeper.benchmarks import GAS_BENCHMARKS

    gas: dict[str, int] = {}
    for bench in GAS_BENCHMARKS:
        pin_chain_time(chain)
        gas.update(bench(project, accounts))
    return dict(sorted(gas.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hedgekeeper.bench", description=__doc__)
    parser.add_argument("--write-gas-snapshot", action="store_true", help="write gas figures to gas-snapshot.json")
    parser.add_argument("--only", default=None, help="comma-separated sections to run (gas, or a section name)")
    args = parser.parse_args(argv)
    activate()
    only = set(args.only.split(",")) if args.only else None

    from hedgekeeper.benchmarks import OTHER_BENCHMARKS

    document: dict[str, Any] = {}
    log = io.StringIO()
    from ape import accounts, networks, project

    with contextlib.redirect_stdout(log), networks.parse_network_choice("ethereum:local:test"):
        if only is None or "gas" in only:
            document["gas"] = run_gas_benchmarks(project, accounts.test_accounts)
            if args.write_gas_snapshot:
                snapshot_path().write_text(json.dumps(document["gas"], indent=2) + "\n")
        for name, bench in OTHER_BENCHMARKS.items():
            if only is None or name in only:
                document[name] = bench(project, accounts.test_accounts)
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
