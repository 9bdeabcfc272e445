"""Accuracy of the pricing library against the mpmath reference: the worst error of each output of
BlackScholes.quote over 3,000 points of the accuracy domain (and its ratio to the bound of the error
rule), and the worst errors of NormalDist.cdfHi over [-40, 40]."""

from __future__ import annotations

import random
from typing import Any

from hedgekeeper.benchmarks.pricing_reference import WAD, cdf_errors, compare, quote_batch, sample_domain


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    harness = accounts[0].deploy(project.PricingHarness)
    points = sample_domain(3000, seed=2024)
    worst = compare(points, quote_batch(harness, points))
    report: dict[str, Any] = {
        "points": len(points),
        "quote": {
            name: {"worst_error": float(w.error), "worst_error_over_bound": float(w.normalised)}
            for name, w in worst.items()
        },
    }
    rnd = random.Random(7)
    xs = [int(rnd.uniform(-40, 40) * WAD) for _ in range(500)] + [int(rnd.uniform(-9, 9) * WAD) for _ in range(1500)]
    hi: list[int] = []
    for i in range(0, len(xs), 500):
        hi += [int(v) for v in harness.cdfBatch(xs[i : i + 500])[1]]
    worst_abs, worst_rel = cdf_errors(xs, hi)
    report["normal_cdf"] = {
        "points": len(xs),
        "worst_abs_error": float(worst_abs),
        "worst_rel_error_x_ge_minus_8": float(worst_rel),
    }
    return report
