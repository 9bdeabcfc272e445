"""The oracle_accuracy benchmark runs and reports errors at the level of the WAD arithmetic."""

from hedgekeeper.benchmarks.oracle_accuracy import TRUE_VOL, measure


def test_oracle_accuracy_benchmark(project, accounts):
    figures = measure(project, accounts)
    assert figures["decay_max_rel_error"] < 1e-14
    assert figures["pricing_vol_max_abs_error"] < 1e-15
    assert figures["ewma_max_rel_error"] < 1e-14
    # a 1-day half-life EWMA of hourly squared returns: within about 20% of the true vol after 10 to 30 days
    for day in (10, 20, 30):
        assert abs(figures[f"gbm_estimated_vol_day{day}"] / TRUE_VOL - 1) < 0.2
