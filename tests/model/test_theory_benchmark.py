"""The benchmark's theory section runs end to end and reports figures in range (few paths here)."""

import json

from hedgekeeper.benchmarks import OTHER_BENCHMARKS
from hedgekeeper.model.theory import run_all


def test_theory_section_is_registered_and_in_range():
    assert "theory" in OTHER_BENCHMARKS
    out = run_all(paths=2000)
    json.dumps(out)  # printable as part of the bench document
    dk = out["derman_kamal"]
    assert 0.9 < dk["n21"]["ratio"] < 1.1 and 0.9 < dk["n84"]["ratio"] < 1.1
    assert -0.55 < dk["slope_loglog"] < -0.45
    assert out["vol_edge"]["realized_0.15"]["mean_pnl"] > 0 > out["vol_edge"]["realized_0.25"]["mean_pnl"]
    assert all(0.9 < v["ratio"] < 1.1 for v in out["hedging_costs"].values())
    assert all(v["inside"] for v in out["ww_vs_frontier"]["whalley_wilmott"].values())
    assert out["speed"]["speedup"] > 1
