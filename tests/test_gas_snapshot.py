"""Gas regressions fail the build: every figure the gas benchmarks measure must be in the committed
gas-snapshot.json and must not exceed it by more than 0.5%. Update with `make gas-snapshot`."""

import json

from hedgekeeper.bench import run_gas_benchmarks, snapshot_path

TOLERANCE = 0.005


def test_gas_does_not_regress(project, accounts):
    measured = run_gas_benchmarks(project, accounts)
    snapshot = json.loads(snapshot_path().read_text())
    missing = sorted(set(measured) - set(snapshot))
    assert not missing, f"gas figures missing from gas-snapshot.json (run `make gas-snapshot`): {missing}"
    regressions = {
        name: (snapshot[name], gas) for name, gas in measured.items() if gas > snapshot[name] * (1 + TOLERANCE)
    }
    assert not regressions, f"gas regressions (snapshot, measured): {regressions}"
