"""Independent high-precision reference for the pricing library: the standard normal and Black-Scholes
with its greeks in closed form, evaluated with mpmath at 50 significant digits (not the on-chain scheme)."""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp

mp.mp.dps = 50
WAD = mp.mpf(10) ** 18


def ncdf(x: mp.mpf) -> mp.mpf:
    return mp.ncdf(x)


def npdf(x: mp.mpf) -> mp.mpf:
    return mp.npdf(x)


@dataclass(frozen=True)
class RefQuote:
    """Exact values in real units (not WAD)."""

    call: mp.mpf
    put: mp.mpf
    call_delta: mp.mpf
    put_delta: mp.mpf
    gamma: mp.mpf
    vega: mp.mpf
    call_theta: mp.mpf
    put_theta: mp.mpf


def black_scholes(spot: int, strike: int, tau: int, vol: int, rate: int) -> RefQuote:
    """Black-Scholes from WAD integer inputs; tau > 0 and vol > 0."""
    s, k, t, v, r = (mp.mpf(a) / WAD for a in (spot, strike, tau, vol, rate))
    sq = mp.sqrt(t)
    d1 = (mp.log(s / k) + (r + v * v / 2) * t) / (v * sq)
    d2 = d1 - v * sq
    kd = k * mp.exp(-r * t)
    call = s * ncdf(d1) - kd * ncdf(d2)
    put = kd * ncdf(-d2) - s * ncdf(-d1)
    decay = s * npdf(d1) * v / (2 * sq)
    return RefQuote(
        call=call,
        put=put,
        call_delta=ncdf(d1),
        put_delta=ncdf(d1) - 1,
        gamma=npdf(d1) / (s * v * sq),
        vega=s * npdf(d1) * sq,
        call_theta=-decay - r * kd * ncdf(d2),
        put_theta=-decay + r * kd * ncdf(-d2),
    )
