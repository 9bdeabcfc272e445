"""Independent Black-Scholes reference (mpmath, 30 digits) for the pool tests."""

from __future__ import annotations

import mpmath as mp


def bs(spot: float, strike: float, tau: float, vol: float) -> tuple[float, float]:
    """(call, put) prices, no rates; intrinsic at tau = 0."""
    if tau <= 0 or vol <= 0:
        return max(spot - strike, 0.0), max(strike - spot, 0.0)
    mp.mp.dps = 30
    s, k, t, v = mp.mpf(spot), mp.mpf(strike), mp.mpf(tau), mp.mpf(vol)
    d1 = (mp.log(s / k) + v * v * t / 2) / (v * mp.sqrt(t))
    d2 = d1 - v * mp.sqrt(t)
    call = s * mp.ncdf(d1) - k * mp.ncdf(d2)
    return float(call), float(call - s + k)


def maintenance(spot: float, strike: float, tau: float, vol: float, is_call: bool, size: float) -> float:
    """Worst buy-back cost over the grid spot x {0.7, 0.85, 1, 1.15, 1.3} x vol x {0.7, 1, 1.5}, floored
    at 5% of spot, times size: a brute-force scan of all 15 points."""
    worst = 0.0
    for ds in (0.7, 0.85, 1.0, 1.15, 1.3):
        for dv in (0.7, 1.0, 1.5):
            call, put = bs(spot * ds, strike, tau, vol * dv)
            worst = max(worst, call if is_call else put)
    return max(worst, 0.05 * spot) * size
