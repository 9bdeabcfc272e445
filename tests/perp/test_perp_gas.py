"""Gas targets of the perp market (whole transactions, base included): open/modify/close <= 120k, every
liquidation <= 180k, also one whose shortfall exceeds the insurance fund on a market with 60+ accounts
(no liquidation scans the account list), and the deleveraging that settles it."""

from __future__ import annotations

from hedgekeeper.benchmarks import gas_perp


def test_gas_targets(project, accounts):
    gas = gas_perp.measure(project, accounts)
    for op in ("open", "modify", "close"):
        assert gas[f"perp.{op}.tx"] <= 120_000, gas
    for op in ("liquidate", "liquidate_full", "liquidate_shortfall"):
        assert gas[f"perp.{op}.tx"] <= 180_000, gas
    assert gas["perp.deleverage.tx"] <= 180_000, gas
