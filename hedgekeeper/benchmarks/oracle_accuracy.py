"""Accuracy of the volatility oracle's math against mpmath (50 digits), and how its realized-vol estimator tracks
a known volatility: `make bench` section "oracle_accuracy".

- decay_max_rel_error: 2^(-t/H) over 200 (t, H) points.
- pricing_vol_max_abs_error: the skewed, floored, clamped pricing vol over 200 strikes (vol units).
- ewma_max_rel_error: the realized vol along a 30-day hourly price path against the documented estimator.
- gbm_true_vol / gbm_estimated_vol_*: the estimator on that path, a geometric Brownian motion with a known
  volatility (estimates after 10, 20 and 30 days; the estimator's own sampling noise, not an error)."""

from __future__ import annotations

from typing import Any

import mpmath as mp
import numpy as np

from hedgekeeper.deploy_oracle import INITIAL_REALIZED_VOL, PARAMS

WAD = 10**18
YEAR = 365 * 86_400
TRUE_VOL = 0.8


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    mp.mp.dps = 50
    harness = accounts[0].deploy(project.VolatilityMathHarness)
    rng = np.random.default_rng(2026)
    return {
        "decay_max_rel_error": _decay_error(harness, rng),
        "pricing_vol_max_abs_error": _pricing_error(harness, rng),
        **_ewma(harness, rng),
    }


def _decay_error(harness: Any, rng: np.random.Generator) -> float:
    worst = mp.mpf(0)
    for half_life in (3_600, 86_400):
        elapsed = [int(x) for x in rng.integers(0, 10 * half_life, 100)]
        for e, got in zip(elapsed, harness.decay(elapsed, half_life)):
            want = mp.power(2, -mp.mpf(e) / half_life)
            worst = max(worst, abs(mp.mpf(got) / WAD - want) / want)
    return float(worst)


def _pricing_error(harness: Any, rng: np.random.Generator) -> float:
    spot, atm, skew, rv, ratio = 2_000 * WAD, 65 * WAD // 100, -25 * WAD // 100, 70 * WAD // 100, PARAMS["realizedFloorRatio"]
    lo, hi = PARAMS["minVol"], PARAMS["maxVol"]
    strikes = [int(x * WAD) for x in rng.uniform(10, 20_000, 200)]
    worst = mp.mpf(0)
    for k, got in zip(strikes, harness.pricingVol(atm, skew, strikes, spot, rv, ratio, lo, hi)):
        surface = mp.mpf(atm) / WAD + mp.mpf(skew) / WAD * mp.log(mp.mpf(k) / spot)
        want = min(max(max(surface, mp.mpf(ratio) * rv / WAD**2), mp.mpf(lo) / WAD), mp.mpf(hi) / WAD)
        worst = max(worst, abs(mp.mpf(got) / WAD - want))
    return float(worst)


def _ewma(harness: Any, rng: np.random.Generator) -> dict[str, float]:
    steps, dt = 30 * 24, 3_600
    shocks = TRUE_VOL * np.sqrt(dt / YEAR) * rng.standard_normal(steps)
    log_prices = np.log(2_000.0) + np.concatenate([[0.0], np.cumsum(shocks - 0.5 * TRUE_VOL**2 * dt / YEAR)])
    prices = [int(round(np.exp(x) * 1e8)) * 10**10 for x in log_prices]  # 8-decimal feed answers, as WAD
    times = [i * dt for i in range(steps + 1)]
    max_rv = PARAMS["maxRealizedVol"]
    vols = harness.foldPath(INITIAL_REALIZED_VOL, prices, times, PARAMS["realizedHalfLife"], max_rv * max_rv // WAD)
    cap = (mp.mpf(max_rv) / WAD) ** 2
    variance = (mp.mpf(INITIAL_REALIZED_VOL) / WAD) ** 2
    worst = mp.mpf(0)
    for i, got in enumerate(vols):
        sample = min(mp.log(mp.mpf(prices[i + 1]) / prices[i]) ** 2 * YEAR / dt, cap)
        d = mp.power(2, -mp.mpf(dt) / PARAMS["realizedHalfLife"])
        variance = d * variance + (1 - d) * sample
        worst = max(worst, abs(mp.mpf(got) / WAD - mp.sqrt(variance)) / mp.sqrt(variance))
    return {
        "ewma_max_rel_error": float(worst),
        "gbm_true_vol": TRUE_VOL,
        "gbm_estimated_vol_day10": int(vols[10 * 24 - 1]) / WAD,
        "gbm_estimated_vol_day20": int(vols[20 * 24 - 1]) / WAD,
        "gbm_estimated_vol_day30": int(vols[-1]) / WAD,
    }
