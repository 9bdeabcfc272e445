"""BlackScholes.quote against an mpmath reference over the accuracy domain, plus the documented edges."""

import random

import ape
import mpmath as mp
import pytest

from hedgekeeper.benchmarks.pricing_reference import (
    OUTPUTS,
    WAD,
    Inputs,
    compare,
    quote_batch,
    sample_domain,
)

YEAR = 365 * 24 * 3600
HOUR = WAD // (365 * 24)


def _kd(p: Inputs) -> mp.mpf:
    return mp.mpf(p.strike) / WAD * mp.exp(-mp.mpf(p.rate) / WAD * mp.mpf(p.tau) / WAD)


def test_quote_matches_mpmath_over_domain(harness):
    points = sample_domain(3000, seed=2024)
    quotes = quote_batch(harness, points)
    worst = compare(points, quotes)
    print()
    for name in OUTPUTS:
        w = worst[name]
        print(f"{name:>10}: worst error {mp.nstr(w.error, 3):>10} = {mp.nstr(w.normalised, 3):>9} x bound  at {w.at}")
    failing = {name: w for name, w in worst.items() if w.normalised > 1}
    assert not failing, failing


def test_structure_holds_over_domain(harness):
    """Parity, bounds and greek signs at every sampled point."""
    points = sample_domain(1000, seed=77)
    for p, q in zip(points, quote_batch(harness, points)):
        kd = _kd(p)
        spot = mp.mpf(p.spot) / WAD
        tol = max(spot, kd) * mp.mpf("2e-15") + mp.mpf(2) / WAD  # Kd on chain carries a 1e-15 relative error
        call, put = mp.mpf(q["callPrice"]) / WAD, mp.mpf(q["putPrice"]) / WAD
        assert abs(call - put - (spot - kd)) <= tol
        assert max(spot - kd, 0) - tol <= call <= spot
        assert 0 <= put <= kd + tol
        assert 0 <= q["callDelta"] <= WAD and -WAD <= q["putDelta"] <= 0
        assert q["putDelta"] == q["callDelta"] - WAD
        assert q["gamma"] >= 0 and q["vega"] >= 0 and q["callTheta"] <= 0
        assert abs(mp.mpf(q["putTheta"] - q["callTheta"]) / WAD - mp.mpf(p.rate) / WAD * kd) <= tol


def test_quote_example_from_the_specification(harness):
    """Spot 2000, ATM, 80% vol, 30 days: gamma about 8.6e14 (per 1 quote unit, times 1e18)."""
    q = harness.quote(2000 * WAD, 2000 * WAD, 30 * WAD // 365, 8 * WAD // 10, 0)
    assert 8.5e14 < q.gamma < 8.7e14
    assert 0.5 * WAD < q.callDelta < 0.6 * WAD


@pytest.mark.parametrize(
    "spot,strike,call,put,call_delta",
    [
        (2100 * WAD, 2000 * WAD, 100 * WAD, 0, WAD),
        (1900 * WAD, 2000 * WAD, 0, 100 * WAD, 0),
        (2000 * WAD, 2000 * WAD, 0, 0, WAD // 2),
    ],
)
def test_at_expiry_is_intrinsic(harness, spot, strike, call, put, call_delta):
    q = harness.quote(spot, strike, 0, 8 * WAD // 10, WAD // 20)
    assert (q.callPrice, q.putPrice, q.callDelta, q.putDelta) == (call, put, call_delta, call_delta - WAD)
    assert (q.gamma, q.vega, q.callTheta, q.putTheta) == (0, 0, 0, 0)


def test_zero_vol_is_the_deterministic_forward(harness):
    rate, tau = WAD // 10, WAD  # Kd = 2000 e^-0.1 = 1809.67
    kd = 2000 * mp.exp(mp.mpf(-0.1))
    itm = harness.quote(1900 * WAD, 2000 * WAD, tau, 0, rate)
    assert abs(mp.mpf(itm.callPrice) / WAD - (1900 - kd)) < mp.mpf("1e-12")
    assert itm.putPrice == 0 and itm.callDelta == WAD and itm.putDelta == 0
    assert abs(mp.mpf(itm.callTheta) / WAD + mp.mpf(0.1) * kd) < mp.mpf("1e-12") and itm.putTheta == 0
    otm = harness.quote(1700 * WAD, 2000 * WAD, tau, 0, rate)
    assert otm.callPrice == 0 and otm.callDelta == 0 and otm.putDelta == -WAD
    assert abs(mp.mpf(otm.putPrice) / WAD - (kd - 1700)) < mp.mpf("1e-12")
    assert abs(mp.mpf(otm.putTheta) / WAD - mp.mpf(0.1) * kd) < mp.mpf("1e-12") and otm.callTheta == 0
    assert (itm.gamma, itm.vega, otm.gamma, otm.vega) == (0, 0, 0, 0)
    # at the forward money (S = Kd exactly, zero rate): delta one half, prices zero
    atm = harness.quote(2000 * WAD, 2000 * WAD, tau, 0, 0)
    assert (atm.callPrice, atm.putPrice, atm.callDelta, atm.putDelta) == (0, 0, WAD // 2, -WAD // 2)


def test_extremes_of_the_accepted_domain(harness):
    """Corners of the accepted ranges (far outside the accuracy domain): no revert, no overflow,
    prices within their no-arbitrage bounds, parity, deltas in range."""
    prices = [10**12, 10**18, 2000 * WAD, 10**30]
    taus = [1, YEAR // 365 * WAD // YEAR, WAD, 10 * WAD]
    vols = [1, WAD // 100, WAD, 10 * WAD]
    rates = [0, WAD // 10, WAD]
    points = [Inputs(s, k, t, v, r) for s in prices for k in prices for t in taus for v in vols for r in rates]
    for p, q in zip(points, quote_batch(harness, points, chunk=200)):
        kd = _kd(p)
        spot = mp.mpf(p.spot) / WAD
        tol = max(spot, kd) * mp.mpf("2e-15") + mp.mpf(2) / WAD
        call, put = mp.mpf(q["callPrice"]) / WAD, mp.mpf(q["putPrice"]) / WAD
        assert 0 <= call <= spot and 0 <= put <= kd + tol, p
        assert max(spot - kd, 0) - tol <= call, p
        assert abs(call - put - (spot - kd)) <= tol, p
        assert 0 <= q["callDelta"] <= WAD and q["putDelta"] == q["callDelta"] - WAD, p
        assert q["gamma"] >= 0 and q["vega"] >= 0 and q["callTheta"] <= 0, p


def test_deep_in_and_out_of_the_money_clamp(harness):
    q = harness.quote(10**30, 10**12, WAD, WAD, WAD // 20)  # S/K = 1e18
    assert q.callDelta == WAD and q.gamma == 0 and q.vega == 0
    assert q.putPrice == 0
    q = harness.quote(10**12, 10**30, WAD, WAD, WAD // 20)  # S/K = 1e-18
    assert q.callPrice == 0 and q.callDelta == 0 and q.putDelta == -WAD


@pytest.mark.parametrize(
    "args,error,field,value",
    [
        ((10**12 - 1, WAD, WAD, WAD, 0), "SpotOutOfRange", "spot", 10**12 - 1),
        ((10**30 + 1, WAD, WAD, WAD, 0), "SpotOutOfRange", "spot", 10**30 + 1),
        ((0, WAD, WAD, WAD, 0), "SpotOutOfRange", "spot", 0),
        ((WAD, 10**12 - 1, WAD, WAD, 0), "StrikeOutOfRange", "strike", 10**12 - 1),
        ((WAD, 10**30 + 1, WAD, WAD, 0), "StrikeOutOfRange", "strike", 10**30 + 1),
        ((WAD, WAD, 10 * WAD + 1, WAD, 0), "TimeOutOfRange", "tau", 10 * WAD + 1),
        ((WAD, WAD, WAD, 10 * WAD + 1, 0), "VolOutOfRange", "vol", 10 * WAD + 1),
        ((WAD, WAD, WAD, WAD, WAD + 1), "RateOutOfRange", "rate", WAD + 1),
    ],
)
def test_out_of_range_inputs_revert(harness, args, error, field, value):
    with ape.reverts(getattr(harness, error), **{field: value}):
        harness.quote(*args)


def test_range_limits_are_accepted(harness):
    harness.quote(10**12, 10**30, 10 * WAD, 10 * WAD, WAD)
    harness.quote(10**30, 10**12, 10 * WAD, 10 * WAD, WAD)


def test_batch_length_mismatch_reverts(harness):
    with ape.reverts(harness.LengthMismatch):
        harness.quoteBatch([WAD], [WAD, WAD], [WAD], [WAD], [0])


def test_time_helpers(harness):
    assert harness.yearsFromSeconds(YEAR) == WAD
    assert harness.yearsFromSeconds(3600) == 3600 * WAD // YEAR
    assert harness.timeToExpiry(1_000 + YEAR, 1_000) == WAD
    assert harness.timeToExpiry(1_000, 1_000) == 0
    assert harness.timeToExpiry(1_000, 5_000) == 0


def test_random_quotes_never_revert_inside_accepted_ranges(harness):
    rnd = random.Random(3)
    points = []
    for _ in range(400):
        s = int(10 ** rnd.uniform(12, 30))
        k = int(10 ** rnd.uniform(12, 30))
        points.append(Inputs(s, k, rnd.randint(0, 10 * WAD), rnd.randint(0, 10 * WAD), rnd.randint(0, WAD)))
    quotes = quote_batch(harness, points)
    assert len(quotes) == len(points)
