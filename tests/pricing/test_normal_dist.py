"""NormalDist against mpmath: N over [-40, 40] (tails included), phi, symmetry and fixed points."""

import random

import mpmath as mp

from hedgekeeper.benchmarks.pricing_reference import HI, WAD, cdf_errors

INT256_MIN = -(2**255)
INT256_MAX = 2**255 - 1


def _points() -> list[int]:
    rnd = random.Random(7)
    xs = [int(rnd.uniform(-40, 40) * WAD) for _ in range(600)]
    xs += [int(rnd.uniform(-9.5, 9.5) * WAD) for _ in range(1400)]
    xs += [int(x * WAD / 100) for x in range(-1000, 1001, 7)]  # grid over [-10, 10]
    # region boundaries (|x| = 1 and 9) and their neighbours
    for b in (WAD, 9 * WAD):
        xs += [b - 1, b, b + 1, -b + 1, -b, -b - 1]
    return xs


def test_cdf_accuracy(harness):
    xs = _points()
    wad, hi = [], []
    for i in range(0, len(xs), 500):
        w, h = harness.cdfBatch(xs[i : i + 500])
        wad += list(w)
        hi += list(h)
    worst_abs, worst_rel = cdf_errors(xs, hi)
    print(f"\ncdfHi worst absolute error {mp.nstr(worst_abs, 3)}, worst relative error (x >= -8) {mp.nstr(worst_rel, 3)}")
    assert worst_abs <= mp.mpf("1e-15")
    assert worst_rel <= mp.mpf("1e-12")
    # cdf is cdfHi truncated to WAD
    assert all(w == h // WAD for w, h in zip(wad, hi))
    worst_wad = max(abs(mp.mpf(w) / WAD - mp.ncdf(mp.mpf(x) / WAD)) for x, w in zip(xs, wad))
    assert worst_wad <= mp.mpf("1e-15") + mp.mpf(1) / WAD
    assert all(0 <= h <= HI for h in hi)


def test_cdf_deep_lower_tail_relative(harness):
    """Relative 1e-12 down to x = -8 needs the 1e36 scale: N(-8) = 6.2e-16."""
    xs = [int(-x * WAD / 1000) for x in range(7000, 8001, 25)]
    _, hi = harness.cdfBatch(xs)
    for x, h in zip(xs, hi):
        exact = mp.ncdf(mp.mpf(x) / WAD)
        assert abs(mp.mpf(h) / HI / exact - 1) <= mp.mpf("1e-12"), x


def test_cdf_symmetry_and_fixed_points(harness):
    rnd = random.Random(11)
    xs = [int(rnd.uniform(0, 12) * WAD) for _ in range(300)]
    _, up = harness.cdfBatch(xs)
    _, down = harness.cdfBatch([-x for x in xs])
    assert max(abs(u + d - HI) for u, d in zip(up, down)) <= 2 * 10**21  # 2e-15
    assert harness.cdf(0) == WAD // 2
    assert harness.cdfHi(0) == HI // 2
    assert harness.cdf(INT256_MIN) == 0
    assert harness.cdf(INT256_MAX) == WAD
    assert harness.cdfHi(9 * WAD) == HI
    assert harness.cdfHi(-9 * WAD) == 0
    assert harness.cdfHi(40 * WAD) == HI and harness.cdfHi(-40 * WAD) == 0


def test_cdf_monotone_on_fine_grid(harness):
    xs = [int(x * WAD / 1000) for x in range(-9500, 9501, 19)]
    _, hi = harness.cdfBatch(xs)
    assert all(a <= b for a, b in zip(hi, hi[1:]))


def test_pdf_accuracy(harness):
    rnd = random.Random(5)
    xs = [int(rnd.uniform(-12, 12) * WAD) for _ in range(1500)] + [0, 10 * WAD, -10 * WAD, 10 * WAD + 1]
    xs += [int(rnd.uniform(-40, 40) * WAD) for _ in range(200)] + [INT256_MIN, INT256_MAX]
    out = harness.pdfBatch(xs)
    worst = mp.mpf(0)
    for x, d in zip(xs, out):
        exact = mp.npdf(mp.mpf(x) / WAD)
        err = abs(mp.mpf(d) / WAD - exact)
        assert err <= exact * mp.mpf("1e-15") + mp.mpf(1) / WAD, x
        worst = max(worst, err)
    print(f"\npdf worst absolute error {mp.nstr(worst, 3)}")
    assert harness.pdf(0) == 398942280401432677  # 1/sqrt(2 pi), truncated
    assert harness.pdf(10 * WAD + 1) == 0


def test_pdf_and_cdf_hi_agree_with_the_separate_functions(harness):
    """pdfAndCdfHi (used by the pricer) carries its own inlined copy of the evaluation."""
    rnd = random.Random(17)
    xs = [int(rnd.uniform(-10, 10) * WAD) for _ in range(800)] + [0, WAD, -WAD, 9 * WAD, -9 * WAD, INT256_MIN, INT256_MAX]
    densities, cdfs = harness.pdfAndCdfHiBatch(xs)
    _, hi = harness.cdfBatch(xs)
    pdfs = harness.pdfBatch(xs)
    assert list(cdfs) == list(hi)
    for x, d, p in zip(xs, densities, pdfs):
        if abs(x) >= 9 * WAD:
            assert d == 0
        else:
            assert abs(d // WAD - p) <= 1, x
            exact = mp.npdf(mp.mpf(x) / WAD)
            assert abs(mp.mpf(d) / HI - exact) <= exact * mp.mpf("1e-15"), x
