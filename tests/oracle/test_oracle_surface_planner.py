"""hedgekeeper.oracle_surface.next_post: posts it plans are accepted by the contract and walk to the target at
the rate the limits allow."""

from __future__ import annotations

from oracle_env import PARAMS, WAD, at, refresh_spot

from hedgekeeper.oracle_surface import PostedSurface, SurfaceLimits, next_post

LIMITS = SurfaceLimits(
    min_vol=PARAMS.minVol,
    max_vol=PARAMS.maxVol,
    max_abs_skew=PARAMS.maxAbsSkew,
    max_atm_change_per_post=PARAMS.maxAtmChangePerPost,
    max_skew_change_per_post=PARAMS.maxSkewChangePerPost,
    min_post_interval=PARAMS.minPostInterval,
)


def test_limits_from_deployment_params():
    from hedgekeeper.deploy_oracle import PARAMS as DEPLOYED

    limits = SurfaceLimits.from_params(DEPLOYED)
    assert limits.max_vol == DEPLOYED["maxVol"] and limits.min_post_interval == DEPLOYED["minPostInterval"]


def test_pure_planning_rules():
    first = next_post(PostedSurface(0, 0, 0), 10 * WAD, -5 * WAD, LIMITS, now=1_000)
    assert first == (PARAMS.maxVol, -PARAMS.maxAbsSkew)
    last = PostedSurface(6 * 10**17, 0, 1_000)
    assert next_post(last, 9 * 10**17, 0, LIMITS, now=1_000 + PARAMS.minPostInterval - 1) is None
    assert next_post(last, 9 * 10**17, -WAD, LIMITS, now=1_000 + PARAMS.minPostInterval) == (
        6 * 10**17 + PARAMS.maxAtmChangePerPost,
        -PARAMS.maxSkewChangePerPost,
    )
    assert next_post(last, 65 * 10**16, 10**17, LIMITS, now=2_000) == (65 * 10**16, 10**17)


def test_planned_posts_are_accepted_and_reach_the_target(chain, feed, oracle, deployer, keeper):
    """From (0.6, 0) to (1.2, -0.45): six posts (ATM vol 0.1 a post; the skew arrives after three), each accepted."""
    t = refresh_spot(chain, feed, oracle, deployer, chain.pending_timestamp + 10) + 1
    expiry = t + 30 * 86_400
    at(chain, t)
    oracle.postSurface(expiry, 6 * 10**17, 0, sender=keeper)
    target = (12 * 10**17, -45 * 10**16)
    posts = []
    for _ in range(10):
        view = oracle.surface(expiry)
        current = PostedSurface(int(view.atmVol), int(view.skew), int(view.postedAt))
        if (current.atm_vol, current.skew) == target:
            break
        t += PARAMS.minPostInterval
        planned = next_post(current, *target, LIMITS, now=t)
        assert planned is not None
        at(chain, t)
        oracle.postSurface(expiry, *planned, sender=keeper)
        posts.append(planned)
    assert [atm for atm, _ in posts] == [k * 10**17 for k in range(7, 13)]
    assert [skew for _, skew in posts[:3]] == [-2 * 10**17, -4 * 10**17, -45 * 10**16]
