"""Gas targets of the pool: opening or closing a position costs <= 200k gas (whole transaction) whether the
book lists 1 strike or 120 (4 boards x 30), and listing a 30-strike board costs <= 3M."""

from hedgekeeper.benchmarks import gas_pool


def test_trade_gas_is_flat_and_under_target(project, accounts):
    g = gas_pool.measure(project, accounts)
    sides = ["open_long", "close_long"] + [
        f"{kind}_{side}_put" for kind in ("open", "partial_close", "close") for side in ("long", "short")
    ]
    for side in sides:
        one, many = g[f"pool.{side}.1_strike.tx"], g[f"pool.{side}.120_strikes.tx"]
        assert one <= 200_000 and many <= 200_000, (side, one, many)
        assert abs(many - one) <= one * 0.001, (side, one, many)
    assert g["pool.open_short.120_strikes.tx"] <= 200_000
    assert g["pool.add_board.30_strikes.tx"] <= 3_000_000
