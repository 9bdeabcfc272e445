"""HiMath.expNeg (1e36 fixed point) against mpmath."""

import random

import mpmath as mp

from hedgekeeper.benchmarks.pricing_reference import HI


def test_exp_neg_accuracy(harness):
    rnd = random.Random(13)
    ys = [int(rnd.uniform(0, 1) * HI) for _ in range(300)] + [int(rnd.uniform(0, 100) * HI) for _ in range(500)]
    ys += [0, 1, HI, 10 * HI, 176 * HI, 200 * HI]
    worst = mp.mpf(0)
    for y, e in zip(ys, harness.expNegHiBatch(ys)):
        exact = mp.exp(-mp.mpf(y) / HI)
        err = abs(mp.mpf(e) / HI - exact)
        assert err <= exact * mp.mpf("1e-15") + mp.mpf(1) / HI, y
        if exact > mp.mpf("1e-20"):
            worst = max(worst, err / exact)
    print(f"\nexpNeg worst relative error {mp.nstr(worst, 3)}")
    assert harness.expNegHi(0) == HI
    assert harness.expNegHi(200 * HI) == 0
