"""Independent high-precision reference for the on-chain pricing library (contracts/libraries/NormalDist.sol,
BlackScholes.sol): the standard normal and Black-Scholes with its greeks in closed form, evaluated with
mpmath at 50 significant digits (a different algorithm from the on-chain one), plus the sampler of the
accuracy domain and the error rules shared by tests/pricing and the `pricing_accuracy` benchmark.

Error rules (one per output of BlackScholes.quote, values in real units, S = spot):
  prices: |error| <= 1e-12 * S
  deltas: |error| <= 1e-13
  gamma:  |error| <= 1e-10 * |exact| + 1e-12 / S
  vega, thetas: |error| <= 1e-10 * |exact| + 1e-12 * S
`normalised` is |error| divided by its bound: the rule holds when it is <= 1."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath as mp

mp.mp.dps = 50
WAD = 10**18
HI = 10**36
OUTPUTS = ("callPrice", "putPrice", "callDelta", "putDelta", "gamma", "vega", "callTheta", "putTheta")

PRICE_TOL = mp.mpf("1e-12")
DELTA_TOL = mp.mpf("1e-13")
GREEK_REL_TOL = mp.mpf("1e-10")
GREEK_FLOOR = mp.mpf("1e-12")


@dataclass(frozen=True)
class Inputs:
    """One quote's inputs, WAD integers."""

    spot: int
    strike: int
    tau: int
    vol: int
    rate: int


def black_scholes(p: Inputs) -> dict[str, mp.mpf]:
    """Exact call/put prices and greeks (real units) for tau > 0 and vol > 0."""
    s, k, t, v, r = (mp.mpf(a) / WAD for a in (p.spot, p.strike, p.tau, p.vol, p.rate))
    sq = mp.sqrt(t)
    d1 = (mp.log(s / k) + (r + v * v / 2) * t) / (v * sq)
    d2 = d1 - v * sq
    kd = k * mp.exp(-r * t)
    decay = s * mp.npdf(d1) * v / (2 * sq)
    return {
        "callPrice": s * mp.ncdf(d1) - kd * mp.ncdf(d2),
        "putPrice": kd * mp.ncdf(-d2) - s * mp.ncdf(-d1),
        "callDelta": mp.ncdf(d1),
        "putDelta": -mp.ncdf(-d1),
        "gamma": mp.npdf(d1) / (s * v * sq),
        "vega": s * mp.npdf(d1) * sq,
        "callTheta": -decay - r * kd * mp.ncdf(d2),
        "putTheta": -decay + r * kd * mp.ncdf(-d2),
    }


def bound(name: str, exact: mp.mpf, spot: mp.mpf) -> mp.mpf:
    if name in ("callPrice", "putPrice"):
        return PRICE_TOL * spot
    if name in ("callDelta", "putDelta"):
        return DELTA_TOL
    scale = 1 / spot if name == "gamma" else spot
    return GREEK_REL_TOL * abs(exact) + GREEK_FLOOR * scale


def sample_domain(n: int, seed: int) -> list[Inputs]:
    """`n` random points of the accuracy domain (fixed seed) plus its corners: spot log-uniform in
    [1e-2, 1e5], S/K log-uniform in [0.5, 2], tau log-uniform in [1 hour, 2 years], vol log-uniform in
    [0.05, 3], rate uniform in [0, 0.2]."""
    rnd = random.Random(seed)
    hour = 1 / (365 * 24)
    points: list[Inputs] = []
    for ratio in (0.5, 1.0, 2.0):
        for tau in (hour, 2.0):
            for vol in (0.05, 3.0):
                for rate in (0.0, 0.2):
                    points.append(_inputs(2000.0, ratio, tau, vol, rate))
    while len(points) < n:
        spot = 10 ** rnd.uniform(-2, 5)
        ratio = 2 ** rnd.uniform(-1, 1)
        tau = hour * (2 / hour) ** rnd.random()
        vol = 0.05 * 60 ** rnd.random()
        rate = rnd.uniform(0, 0.2)
        points.append(_inputs(spot, ratio, tau, vol, rate))
    return points


def _inputs(spot: float, ratio: float, tau: float, vol: float, rate: float) -> Inputs:
    s = int(spot * WAD)
    return Inputs(spot=s, strike=int(s / ratio), tau=int(tau * WAD), vol=int(vol * WAD), rate=int(rate * WAD))


def quote_batch(harness: Any, points: Sequence[Inputs], chunk: int = 400) -> list[dict[str, int]]:
    """BlackScholes.quote at every point through the harness, in a few eth_calls."""
    out: list[dict[str, int]] = []
    for i in range(0, len(points), chunk):
        part = points[i : i + chunk]
        columns = [[getattr(p, f) for p in part] for f in ("spot", "strike", "tau", "vol", "rate")]
        for q in harness.quoteBatch(*columns):
            out.append({name: int(getattr(q, name)) for name in OUTPUTS})
    return out


@dataclass
class Worst:
    """Worst error of one output: the raw error (real units), its ratio to the bound, and where."""

    error: mp.mpf
    normalised: mp.mpf
    at: Inputs | None


def compare(points: Iterable[Inputs], quotes: Iterable[dict[str, int]]) -> dict[str, Worst]:
    worst = {name: Worst(mp.mpf(0), mp.mpf(0), None) for name in OUTPUTS}
    for p, q in zip(points, quotes):
        exact = black_scholes(p)
        spot = mp.mpf(p.spot) / WAD
        for name in OUTPUTS:
            err = abs(mp.mpf(q[name]) / WAD - exact[name])
            ratio = err / bound(name, exact[name], spot)
            if ratio > worst[name].normalised:
                worst[name] = Worst(err, ratio, p)
    return worst


def cdf_errors(xs: Sequence[int], hi: Sequence[int]) -> tuple[mp.mpf, mp.mpf]:
    """Worst absolute error of N over all xs and worst relative error over x >= -8 (cdfHi at 1e36)."""
    worst_abs = worst_rel = mp.mpf(0)
    for x, value in zip(xs, hi):
        exact = mp.ncdf(mp.mpf(x) / WAD)
        err = abs(mp.mpf(value) / HI - exact)
        worst_abs = max(worst_abs, err)
        if x >= -8 * WAD and exact > 0:
            worst_rel = max(worst_rel, err / exact)
    return worst_abs, worst_rel
