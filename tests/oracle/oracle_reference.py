"""Independent high-precision (mpmath, 50 digits) reference of the oracle's documented estimators."""

from __future__ import annotations

from collections.abc import Sequence

import mpmath as mp

mp.mp.dps = 50

WAD = mp.mpf(10) ** 18
YEAR = mp.mpf(365 * 86_400)


def ewma_variance(
    observations: Sequence[tuple[int, int]], initial_variance: mp.mpf, half_life: int, max_vol: mp.mpf
) -> list[mp.mpf]:
    """Annualised variance after each observation (time, price) following the first: the time-weighted EWMA of
    squared log returns, each sample clamped to max_vol**2. Prices and vols as plain numbers (not WAD)."""
    cap = max_vol**2
    variance = mp.mpf(initial_variance)
    out = []
    for (t0, p0), (t1, p1) in zip(observations, observations[1:]):
        dt = mp.mpf(t1 - t0)
        sample = min(mp.log(mp.mpf(p1) / mp.mpf(p0)) ** 2 * YEAR / dt, cap)
        weight = 1 - mp.power(2, -dt / half_life)
        variance = (1 - weight) * variance + weight * sample
        out.append(variance)
    return out


def pricing_vol(atm, skew, strike, spot, realized_vol, floor_ratio, min_vol, max_vol) -> mp.mpf:
    """clamp(max(atm + skew * ln(K/S), ratio * realized), min, max), all plain numbers."""
    surface = mp.mpf(atm) + mp.mpf(skew) * mp.log(mp.mpf(strike) / mp.mpf(spot))
    vol = max(surface, mp.mpf(floor_ratio) * mp.mpf(realized_vol))
    return min(max(vol, mp.mpf(min_vol)), mp.mpf(max_vol))


def smoothed(previous_smoothed, previous_posted, elapsed: int, half_life: int) -> mp.mpf:
    """The continuous-time EWMA of a piecewise-constant posted value after `elapsed` seconds."""
    d = mp.power(2, -mp.mpf(elapsed) / half_life)
    return mp.mpf(previous_posted) + d * (mp.mpf(previous_smoothed) - mp.mpf(previous_posted))
