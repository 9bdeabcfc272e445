"""Gas targets of the perp market (whole transactions, base included): open/modify/close <= 120k,
liquidation <= 180k."""

from __future__ import annotations

from hedgekeeper.benchmarks import gas_perp


def test_gas_targets(project, accounts):
    gas = gas_perp.measure(project, accounts)
    for op in ("open", "modify", "close"):
        assert gas[f"perp.{op}.tx"] <= 120_000, gas
    assert gas["perp.liquidate.tx"] <= 180_000, gas
    assert gas["perp.liquidate_full.tx"] <= 180_000, gas
