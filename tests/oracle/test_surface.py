"""The implied volatility surface: posts within bounds and rate limits, the skew and realized-floor blend
against mpmath, the smoothed surface under a burst of posts, staleness and unknown expiries."""

from __future__ import annotations

import ape
import mpmath as mp
import pytest
from oracle_env import MAX_SPOT_AGE, PARAMS, SURFACE_KEEPER_ROLE, WAD, at, refresh_spot
from oracle_reference import pricing_vol, smoothed

DAY = 86_400
SMOOTHED_TOL = mp.mpf("1e-11")  # the smoothed pair is stored to 1e-12 at each post
ATM = 65 * 10**16
SKEW = -25 * 10**16


def _surface(oracle, expiry):
    v = oracle.surface(expiry)
    return (int(v.atmVol), int(v.skew), int(v.postedAt), int(v.smoothedAtmVol), int(v.smoothedSkew))


@pytest.fixture
def now(chain, feed, oracle, deployer):
    """A fresh spot folded by the oracle; returns the time of the next transaction."""
    t = refresh_spot(chain, feed, oracle, deployer, chain.pending_timestamp + 10)
    return t + 1


@pytest.fixture
def expiry(now):
    return now + 30 * DAY


@pytest.fixture
def posted(chain, oracle, keeper, now, expiry):
    at(chain, now)
    oracle.postSurface(expiry, ATM, SKEW, sender=keeper)
    return now


def test_implied_vol_matches_reference_across_strikes(oracle, posted, expiry):
    spot = oracle.realizedState()[0]
    realized = mp.mpf(oracle.realizedVol()) / WAD
    strikes_usd = ["0.01", "100", "1000", "1500", "1999.99", "2000", "2500", "2866", "2900", "4000", "100000"]
    floor_seen = cap_seen = False
    for k in strikes_usd:
        strike = int(mp.mpf(k) * WAD)
        got = mp.mpf(oracle.impliedVol(expiry, strike)) / WAD
        want = pricing_vol(
            mp.mpf(ATM) / WAD,
            mp.mpf(SKEW) / WAD,
            strike,
            spot,
            realized,
            mp.mpf(PARAMS.realizedFloorRatio) / WAD,
            mp.mpf(PARAMS.minVol) / WAD,
            mp.mpf(PARAMS.maxVol) / WAD,
        )
        assert abs(got - want) <= mp.mpf("1e-15"), k
        floor_seen |= want == mp.mpf(PARAMS.realizedFloorRatio) / WAD * realized
        cap_seen |= want == mp.mpf(PARAMS.maxVol) / WAD
    assert floor_seen and cap_seen
    # a fresh surface with no smoothing history: the smoothed read equals the pricing read
    assert oracle.smoothedImpliedVol(expiry, 2_500 * WAD) == oracle.impliedVol(expiry, 2_500 * WAD)


def test_pricing_vol_math_against_reference(math_harness):
    """Many strikes per case, including cases where the realized floor binds and the min/max clamps."""
    import numpy as np

    rng = np.random.default_rng(5)
    spot = 2_000 * WAD
    strikes = [int(x * WAD) for x in rng.uniform(1, 20_000, 40)] + [1, 2**128 - 1]
    cases = [  # atm, skew, realized vol, floor ratio
        (6 * 10**17, -3 * 10**17, 9 * 10**17, 8 * 10**17),
        (10**17, 4 * 10**17, 0, 8 * 10**17),
        (10**17, 4 * 10**17, 2 * WAD, 0),
        (3 * 10**17, -10**17, 4 * WAD, 2 * WAD),
    ]
    bounds = (5 * 10**16, 2 * WAD)
    for atm, skew, realized, ratio in cases:
        got = math_harness.pricingVol(atm, skew, strikes, spot, realized, ratio, *bounds)
        rv = mp.mpf(realized) / WAD
        for k, g in zip(strikes, got):
            want = pricing_vol(
                mp.mpf(atm) / WAD, mp.mpf(skew) / WAD, k, spot, rv, mp.mpf(ratio) / WAD,
                *(mp.mpf(b) / WAD for b in bounds),
            )
            assert abs(mp.mpf(g) / WAD - want) <= mp.mpf("1e-15")


def test_unknown_expiry_reverts(oracle, now):
    for read in (oracle.impliedVol, oracle.smoothedImpliedVol):
        with ape.reverts(oracle.UnknownExpiry, expiry=now + 7 * DAY):
            read(now + 7 * DAY, 2_000 * WAD)


@pytest.mark.parametrize("strike", [0, 2**128])
def test_invalid_strike_reverts(oracle, posted, expiry, strike):
    with ape.reverts(oracle.InvalidStrike, strike=strike):
        oracle.impliedVol(expiry, strike)


def test_stale_surface_reverts(chain, feed, oracle, deployer, posted, expiry):
    t = posted + PARAMS.maxSurfaceAge - 2
    refresh_spot(chain, feed, oracle, deployer, t)  # spot fresh; surface exactly maxSurfaceAge old
    assert oracle.impliedVol(expiry, 2_000 * WAD) > 0
    chain.mine(timestamp=posted + PARAMS.maxSurfaceAge + 1)
    for read in (oracle.impliedVol, oracle.smoothedImpliedVol):
        with ape.reverts(oracle.StaleSurface, expiry=expiry, postedAt=posted, maxAge=PARAMS.maxSurfaceAge):
            read(expiry, 2_000 * WAD)


def test_stale_spot_reverts_reads(chain, oracle, posted, expiry):
    observed = oracle.realizedState()[1]
    chain.mine(timestamp=observed + MAX_SPOT_AGE)
    assert oracle.impliedVol(expiry, 2_000 * WAD) > 0
    chain.mine(timestamp=observed + MAX_SPOT_AGE + 1)
    for read in (oracle.impliedVol, oracle.smoothedImpliedVol):
        with ape.reverts(oracle.StaleSpot, updatedAt=observed, maxAge=MAX_SPOT_AGE):
            read(expiry, 2_000 * WAD)


def test_post_requires_keeper_role(chain, alice, oracle, now, expiry):
    at(chain, now)
    with ape.reverts(oracle.AccessControlUnauthorizedAccount, account=alice.address, neededRole=SURFACE_KEEPER_ROLE):
        oracle.postSurface(expiry, ATM, SKEW, sender=alice)
    with ape.reverts(oracle.AccessControlUnauthorizedAccount, account=alice.address, neededRole=SURFACE_KEEPER_ROLE):
        oracle.postSurfaces([(expiry, ATM, SKEW)], sender=alice)
    assert _surface(oracle, expiry) == (0, 0, 0, 0, 0)


def test_post_rejects_out_of_bounds_values(chain, oracle, keeper, now, expiry):
    cases = [
        ((expiry, PARAMS.minVol - 1, 0), oracle.AtmVolOutOfBounds, {"atmVol": PARAMS.minVol - 1}),
        ((expiry, PARAMS.maxVol + 1, 0), oracle.AtmVolOutOfBounds, {"atmVol": PARAMS.maxVol + 1}),
        ((expiry, ATM, PARAMS.maxAbsSkew + 1), oracle.SkewOutOfBounds, {"skew": PARAMS.maxAbsSkew + 1}),
        ((expiry, ATM, -PARAMS.maxAbsSkew - 1), oracle.SkewOutOfBounds, {"skew": -PARAMS.maxAbsSkew - 1}),
        ((now + 4, ATM, SKEW), oracle.ExpiryNotInFuture, {"expiry": now + 4, "nowTs": now + 4}),
        ((now, ATM, SKEW), oracle.ExpiryNotInFuture, {"expiry": now, "nowTs": now + 5}),
    ]
    for i, (args, error, fields) in enumerate(cases):
        at(chain, now + i)
        with ape.reverts(error, **fields):
            oracle.postSurface(*args, sender=keeper)
    assert _surface(oracle, expiry) == (0, 0, 0, 0, 0)
    # the bounds themselves are accepted
    at(chain, now + len(cases))
    oracle.postSurface(expiry, PARAMS.maxVol, -PARAMS.maxAbsSkew, sender=keeper)
    assert _surface(oracle, expiry)[:2] == (PARAMS.maxVol, -PARAMS.maxAbsSkew)


def test_post_rate_limits(chain, oracle, keeper, posted, expiry):
    before = _surface(oracle, expiry)
    t = posted + PARAMS.minPostInterval
    at(chain, t - 1)
    with ape.reverts(oracle.PostTooSoon, expiry=expiry, lastPostedAt=posted, minInterval=PARAMS.minPostInterval):
        oracle.postSurface(expiry, ATM, SKEW, sender=keeper)
    up = ATM + PARAMS.maxAtmChangePerPost + 1
    at(chain, t)
    with ape.reverts(oracle.AtmVolChangeTooLarge, expiry=expiry, previous=ATM, posted=up):
        oracle.postSurface(expiry, up, SKEW, sender=keeper)
    steep = SKEW - PARAMS.maxSkewChangePerPost - 1
    at(chain, t + 1)
    with ape.reverts(oracle.SkewChangeTooLarge, expiry=expiry, previous=SKEW, posted=steep):
        oracle.postSurface(expiry, ATM, steep, sender=keeper)
    assert _surface(oracle, expiry)[:3] == before[:3]
    at(chain, t + 2)
    oracle.postSurface(expiry, ATM + PARAMS.maxAtmChangePerPost, SKEW - PARAMS.maxSkewChangePerPost, sender=keeper)
    assert _surface(oracle, expiry)[:3] == (
        ATM + PARAMS.maxAtmChangePerPost,
        SKEW - PARAMS.maxSkewChangePerPost,
        t + 2,
    )


def test_post_surfaces_is_all_or_nothing(chain, oracle, keeper, now, expiry):
    at(chain, now)
    with ape.reverts(oracle.NoPosts):
        oracle.postSurfaces([], sender=keeper)
    other = expiry + 30 * DAY
    at(chain, now + 1)
    with ape.reverts(oracle.AtmVolOutOfBounds, atmVol=PARAMS.maxVol + 1):
        oracle.postSurfaces([(expiry, ATM, SKEW), (other, PARAMS.maxVol + 1, 0)], sender=keeper)
    assert _surface(oracle, expiry) == (0, 0, 0, 0, 0)
    # a burst on one expiry inside one transaction is stopped by the minimum interval
    at(chain, now + 2)
    with ape.reverts(oracle.PostTooSoon, expiry=expiry, lastPostedAt=now + 2):
        oracle.postSurfaces([(expiry, ATM, SKEW), (expiry, ATM + 10**16, SKEW)], sender=keeper)
    assert _surface(oracle, expiry) == (0, 0, 0, 0, 0)
    at(chain, now + 3)
    receipt = oracle.postSurfaces([(expiry, ATM, SKEW), (other, ATM + 5 * 10**16, 0)], sender=keeper)
    assert [int(e.expiry) for e in receipt.events] == [expiry, other]
    assert _surface(oracle, other)[:3] == (ATM + 5 * 10**16, 0, now + 3)


def test_burst_of_posts_moves_smoothed_vol_only_by_elapsed_time(chain, feed, oracle, deployer, keeper, posted, expiry):
    """Five posts as fast as the rate limit allows raise the posted ATM vol from 0.65 to 1.15; the smoothed ATM
    vol follows the continuous-time EWMA and moves by at most (1 - 2^(-T/H_s)) of the largest gap. The smoothed
    pair is stored to 1e-12 at each post, hence the tolerance."""
    hs = PARAMS.smoothingHalfLife
    smoothed_atm = mp.mpf(ATM) / WAD
    posted_atm = mp.mpf(ATM) / WAD
    t_prev = posted
    t = posted
    for i in range(1, 6):
        t = posted + i * PARAMS.minPostInterval
        atm = ATM + i * PARAMS.maxAtmChangePerPost
        at(chain, t)
        receipt = oracle.postSurface(expiry, atm, SKEW, sender=keeper)
        smoothed_atm = smoothed(smoothed_atm, posted_atm, t - t_prev, hs)
        posted_atm = mp.mpf(atm) / WAD
        t_prev = t
        event = receipt.events[0]
        assert abs(mp.mpf(event.smoothedAtmVol) / WAD - smoothed_atm) <= SMOOTHED_TOL
        assert int(event.smoothedSkew) == SKEW
    elapsed = t - posted
    total_jump = mp.mpf(5 * PARAMS.maxAtmChangePerPost) / WAD
    bound = (1 - mp.power(2, -mp.mpf(elapsed) / hs)) * total_jump
    moved = smoothed_atm - mp.mpf(ATM) / WAD
    assert 0 < moved <= bound and bound < mp.mpf("0.03")
    # the pricing read follows the posts, the valuation read barely moves (ATM strike: ln(K/S) = 0)
    spot = oracle.realizedState()[0]
    assert chain.blocks.head.timestamp == t
    assert oracle.impliedVol(expiry, spot) == ATM + 5 * PARAMS.maxAtmChangePerPost
    smoothed_read = mp.mpf(oracle.smoothedImpliedVol(expiry, spot)) / WAD
    assert abs(smoothed_read - smoothed_atm) <= SMOOTHED_TOL
    # with time the smoothed vol converges to the posted one (one smoothing half-life: half the gap)
    later = t + hs
    refresh_spot(chain, feed, oracle, deployer, later - 1)  # the update is mined at `later`
    want = smoothed(smoothed_atm, posted_atm, hs, hs)
    got = mp.mpf(oracle.smoothedImpliedVol(expiry, spot)) / WAD
    assert abs(got - want) <= SMOOTHED_TOL
    view = oracle.surface(expiry)
    assert abs(mp.mpf(view.smoothedAtmVol) / WAD - want) <= SMOOTHED_TOL


def test_narrowed_bounds_do_not_lock_an_expiry_out(chain, oracle, deployer, keeper, posted, expiry):
    """After the admin lowers maxVol and maxAbsSkew below the last post (0.65, -0.25), the rate limits are measured
    from the last post clamped into the new bounds (0.5, -0.05), so the keeper can still post."""
    narrow = PARAMS.with_(maxVol=5 * 10**17, maxAbsSkew=5 * 10**16, maxSkewChangePerPost=5 * 10**16)
    at(chain, posted + 1)
    oracle.setParams(narrow.tuple(), sender=deployer)
    t = posted + PARAMS.minPostInterval
    at(chain, t)
    with ape.reverts(oracle.AtmVolChangeTooLarge, previous=5 * 10**17, posted=3 * 10**17):
        oracle.postSurface(expiry, 3 * 10**17, -5 * 10**16, sender=keeper)
    at(chain, t + 1)
    with ape.reverts(oracle.SkewChangeTooLarge, previous=-5 * 10**16, posted=5 * 10**16):
        oracle.postSurface(expiry, 5 * 10**17, 5 * 10**16, sender=keeper)
    assert _surface(oracle, expiry)[:3] == (ATM, SKEW, posted)
    # 0.45 is 0.2 from the stored 0.65 but 0.05 from the clamped 0.5; skew 0 is 0.05 from the clamped -0.05
    at(chain, t + 2)
    oracle.postSurface(expiry, 45 * 10**16, 0, sender=keeper)
    assert _surface(oracle, expiry)[:3] == (45 * 10**16, 0, t + 2)


def test_expiry_past_is_read_while_its_post_is_fresh(chain, feed, oracle, deployer, keeper, now):
    expiry = now + 600
    at(chain, now)
    oracle.postSurface(expiry, ATM, 0, sender=keeper)
    refresh_spot(chain, feed, oracle, deployer, expiry + 10)
    assert oracle.impliedVol(expiry, 2_000 * WAD) == ATM
    at(chain, expiry + 20)
    with ape.reverts(oracle.ExpiryNotInFuture, expiry=expiry):
        oracle.postSurface(expiry, ATM, 0, sender=keeper)
