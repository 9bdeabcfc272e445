"""The next surface post a keeper may send toward a target (ATM vol, skew) for one expiry, within the
volatility oracle's bounds and rate limits (IVolatilityOracleAdmin.postSurface). Pure: no I/O.

Units as on chain: vols, skews and limits WAD integers, times unix seconds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SurfaceLimits:
    """The posting parameters of IVolatilityOracleAdmin.OracleParams."""

    min_vol: int
    max_vol: int
    max_abs_skew: int
    max_atm_change_per_post: int
    max_skew_change_per_post: int
    min_post_interval: int

    @classmethod
    def from_params(cls, params: dict[str, int]) -> "SurfaceLimits":
        """From OracleParams as a mapping of its field names (e.g. hedgekeeper.deploy_oracle.PARAMS)."""
        return cls(
            min_vol=params["minVol"],
            max_vol=params["maxVol"],
            max_abs_skew=params["maxAbsSkew"],
            max_atm_change_per_post=params["maxAtmChangePerPost"],
            max_skew_change_per_post=params["maxSkewChangePerPost"],
            min_post_interval=params["minPostInterval"],
        )


@dataclass(frozen=True)
class PostedSurface:
    """An expiry's last post (IVolatilityOracleAdmin.SurfaceView: atmVol, skew, postedAt; postedAt 0: never)."""

    atm_vol: int
    skew: int
    posted_at: int


def _clamp(x: int, lo: int, hi: int) -> int:
    return min(max(x, lo), hi)


def next_post(
    current: PostedSurface, target_atm: int, target_skew: int, limits: SurfaceLimits, now: int
) -> tuple[int, int] | None:
    """The (atmVol, skew) to post at time `now`: the target brought within the bounds, then moved from the last
    post (itself clamped into the bounds, as the contract measures changes) by at most the per-post limits.
    None when the minimum interval since the last post has not yet passed."""
    atm = _clamp(target_atm, limits.min_vol, limits.max_vol)
    skew = _clamp(target_skew, -limits.max_abs_skew, limits.max_abs_skew)
    if current.posted_at == 0:
        return atm, skew
    if now < current.posted_at + limits.min_post_interval:
        return None
    prev_atm = _clamp(current.atm_vol, limits.min_vol, limits.max_vol)
    prev_skew = _clamp(current.skew, -limits.max_abs_skew, limits.max_abs_skew)
    atm = _clamp(atm, prev_atm - limits.max_atm_change_per_post, prev_atm + limits.max_atm_change_per_post)
    skew = _clamp(skew, prev_skew - limits.max_skew_change_per_post, prev_skew + limits.max_skew_change_per_post)
    return atm, skew
