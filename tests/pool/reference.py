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


def gamma_vega(spot: float, strike: float, tau: float, vol: float) -> tuple[float, float]:
    """Black-Scholes gamma (per 1 quote of spot) and vega (per 1.00 vol), no rates."""
    mp.mp.dps = 30
    s, k, t, v = mp.mpf(spot), mp.mpf(strike), mp.mpf(tau), mp.mpf(vol)
    d1 = (mp.log(s / k) + v * v * t / 2) / (v * mp.sqrt(t))
    pdf = mp.npdf(d1)
    return float(pdf / (s * v * mp.sqrt(t))), float(s * pdf * mp.sqrt(t))


def fee(spot, vol, tau, size, g_before, g_after, v_before, v_after, base=0.0005, floor=0.0002, k=0.001,
        dt_seconds=3_600, vega_rate=0.005) -> float:
    """The documented spread: max(floor x notional, base x notional + Leland gamma cost + vega charge)."""
    mp.mp.dps = 30
    dt = mp.mpf(dt_seconds) / (365 * 86_400)
    d_g = abs(g_after) - abs(g_before)
    d_v = abs(v_after) - abs(v_before)
    gamma_cost = k * spot**2 * vol * tau * d_g / (mp.sqrt(2 * mp.pi) * mp.sqrt(dt))
    notional = spot * size
    return float(max(floor * notional, base * notional + gamma_cost + vega_rate * d_v))
