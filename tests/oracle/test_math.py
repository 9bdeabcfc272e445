"""The oracle's math libraries against mpmath: the half-life decay factor and the clamped annualised variance
sample, many points per eth_call through VolatilityMathHarness."""

from __future__ import annotations

import mpmath as mp
import numpy as np

mp.mp.dps = 50
WAD = 10**18
YEAR = 365 * 86_400


def test_decay_factor_matches_two_to_the_minus_elapsed_over_half_life(math_harness):
    rng = np.random.default_rng(11)
    for half_life in (60, 3_600, 86_400, 365 * 86_400):
        elapsed = [0, 1, half_life, 2 * half_life, 59 * half_life, 61 * half_life]
        elapsed += [int(x) for x in rng.integers(1, 20 * half_life, 40)]
        got = math_harness.decay(elapsed, half_life)
        for e, g in zip(elapsed, got):
            want = mp.power(2, -mp.mpf(e) / half_life)
            assert abs(mp.mpf(g) / WAD - want) <= want * mp.mpf("1e-15") + mp.mpf("2e-18"), (half_life, e)
            assert g <= WAD
    assert math_harness.decay([0], 1)[0] == WAD


def test_decay_factor_at_1e36_matches_two_to_the_minus_elapsed_over_half_life(math_harness):
    """The reads' factor (HiMath.expNeg at 1e36): within 1e-15 relative, never above 1, exactly 1 at elapsed 0,
    0 far out."""
    rng = np.random.default_rng(13)
    hi = 10**36
    for half_life in (60, 3_600, 86_400, 30 * 86_400):
        elapsed = [0, 1, half_life // 2, half_life, 2 * half_life, 59 * half_life, 119 * half_life]
        elapsed += [int(x) for x in rng.integers(1, 20 * half_life, 40)]
        got = math_harness.decayHi(elapsed, half_life)
        for e, g in zip(elapsed, got):
            want = mp.power(2, -mp.mpf(e) / half_life)
            assert abs(mp.mpf(g) / hi - want) <= want * mp.mpf("1e-15") + mp.mpf("2e-36"), (half_life, e)
            assert g <= hi
        assert got[0] == hi
        assert math_harness.decayHi([125 * half_life, 2**32 - 1], half_life) == [0, 0]


def test_approach_at_1e36_stays_between_current_and_target(math_harness):
    rng = np.random.default_rng(14)
    hi = 10**36
    current = [int(x) for x in rng.integers(-(4 * WAD), 4 * WAD, 30)] + [0, 4 * WAD, -(4 * WAD)]
    target = [int(x) for x in rng.integers(-(4 * WAD), 4 * WAD, 30)] + [4 * WAD, 0, 4 * WAD]
    for d in (0, 1, hi // 3, hi // 2, hi - 1, hi):
        signed, unsigned = math_harness.approachHi(current, target, d)
        for c, t, s, u in zip(current, target, signed, unsigned):
            want = t + mp.mpf(d) / hi * (c - t)
            assert min(c, t) <= s <= max(c, t), (c, t, d)
            assert abs(s - want) < 1, (c, t, d)
            if c >= 0 and t >= 0:
                assert u == s, (c, t, d)
        if d == hi:
            assert list(signed) == current
        if d == 0:
            assert list(signed) == target


def test_variance_sample_matches_reference_and_clamps(math_harness):
    rng = np.random.default_rng(12)
    p_old = 2_000 * WAD
    max_vol = mp.mpf("2.5")
    max_sample = int(max_vol**2 * WAD)
    prices = [p_old, p_old + 1, 4_000 * WAD, 1_000 * WAD, 1, 2**128 - 1]
    prices += [int(x * WAD) for x in rng.uniform(1_900, 2_100, 30)]
    for dt in (1, 12, 600, 86_400, 30 * 86_400):
        samples, log_returns, clamped = math_harness.sample(p_old, prices, dt, max_sample)
        for p, s, r, c in zip(prices, samples, log_returns, clamped):
            ratio = mp.mpf(p) / p_old
            want_r = mp.log(ratio) if p * WAD // p_old > 0 else mp.log(mp.mpf(1) / WAD)
            assert abs(mp.mpf(r) / WAD - want_r) <= mp.mpf("1e-15"), (p, dt)
            raw = want_r**2 * YEAR / dt
            want = min(raw, max_vol**2)
            if raw > max_vol**2 * (1 + mp.mpf("1e-12")):
                assert c and s == max_sample, (p, dt)
            if raw < max_vol**2 * (1 - mp.mpf("1e-12")):
                assert not c, (p, dt)
            assert abs(mp.mpf(s) / WAD - want) <= want * mp.mpf("1e-12") + mp.mpf("1e-17"), (p, dt)
            assert s <= max_sample
