"""Vectorised Black-Scholes against an independent mpmath reference (30 digits, greeks by numerical
differentiation of the mpmath price)."""

import mpmath as mp
import numpy as np
import pytest

from hedgekeeper.model import black_scholes as bs

mp.mp.dps = 30


def _mp_price(s, k, t, v, r, call):
    s, k, t, v, r = (mp.mpf(x) for x in (s, k, t, v, r))
    d1 = (mp.log(s / k) + (r + v * v / 2) * t) / (v * mp.sqrt(t))
    d2 = d1 - v * mp.sqrt(t)
    cdf = lambda x: mp.erfc(-x / mp.sqrt(2)) / 2  # noqa: E731
    if call:
        return s * cdf(d1) - k * mp.exp(-r * t) * cdf(d2)
    return k * mp.exp(-r * t) * cdf(-d2) - s * cdf(-d1)


CASES = [
    (100, 100, 1 / 12, 0.2, 0.05, True),
    (100, 100, 1 / 12, 0.2, 0.05, False),
    (2000, 2400, 0.25, 0.8, 0.03, True),
    (2000, 1600, 0.02, 0.8, 0.0, False),
    (50, 45, 2.0, 0.35, 0.1, True),
    (1, 1.3, 7 / 365, 1.5, 0.0, False),
]


@pytest.mark.parametrize("s,k,t,v,r,call", CASES)
def test_price_and_greeks_match_mpmath(s, k, t, v, r, call):
    g = bs.greeks(s, k, t, v, r, call=call)
    f = lambda S=s, T=t, V=v: _mp_price(S, k, T, V, r, call)  # noqa: E731
    ref = {
        "price": f(),
        "delta": mp.diff(lambda x: f(S=x), s),
        "gamma": mp.diff(lambda x: f(S=x), s, 2),
        "vega": mp.diff(lambda x: f(V=x), v),
        "theta": -mp.diff(lambda x: f(T=x), t),  # per year of calendar time: d/dt = -d/dtau
    }
    for name, want in ref.items():
        got = float(getattr(g, name))
        assert got == pytest.approx(float(want), rel=1e-9, abs=1e-11 * max(1.0, s)), name


def test_vectorised_over_arrays_and_option_types():
    s = np.array([90.0, 100.0, 110.0])
    call = np.array([True, False, True])
    g = bs.greeks(s, 100.0, 0.5, 0.3, 0.02, call=call)
    for i in range(3):
        one = bs.greeks(s[i], 100.0, 0.5, 0.3, 0.02, call=bool(call[i]))
        assert g.price[i] == one.price and g.delta[i] == one.delta and g.theta[i] == one.theta
    # put-call parity, with an independent discount factor
    c = bs.price(s, 100.0, 0.5, 0.3, 0.02, call=True)
    p = bs.price(s, 100.0, 0.5, 0.3, 0.02, call=False)
    assert np.allclose(c - p, s - 100.0 * float(mp.exp(-0.01)), rtol=0, atol=1e-12)


def test_expired_option_is_intrinsic_with_zero_greeks():
    g = bs.greeks(np.array([90.0, 100.0, 110.0]), 100.0, 0.0, 0.3, call=True)
    assert list(g.price) == [0.0, 0.0, 10.0]
    assert list(g.delta) == [0.0, 0.0, 1.0]
    assert not g.gamma.any() and not g.vega.any() and not g.theta.any()
    p = bs.greeks(np.array([90.0, 110.0]), 100.0, -1.0, 0.3, call=False)
    assert list(p.price) == [10.0, 0.0] and list(p.delta) == [-1.0, 0.0]
