"""The volatility oracle's duties, pure: fold every new feed round (`update()`), and keep each live expiry's
implied-vol surface fresh and moving toward the configured target (`postSurfaces`). No I/O.

Why every new round and not a fixed interval: `impliedVol` and `smoothedImpliedVol` check the feed time saved
by the last `update()` against maxSpotAge, so an oracle updated once per maxSpotAge goes stale just before each
update. An `update()` without a new round is a no-op on chain that still costs a transaction, so none is sent."""

from __future__ import annotations

from hedgekeeper.keeper.settings import KeeperSettings, SurfaceTarget
from hedgekeeper.keeper.units import to_wad
from hedgekeeper.oracle_surface import next_post
from hedgekeeper.strategy.actions import PostSurfaces, UpdateOracle
from hedgekeeper.strategy.observation import ChainSnapshot, KeeperState

WAD = 10**18


def oracle_update(snapshot: ChainSnapshot, state: KeeperState, settings: KeeperSettings) -> UpdateOracle | None:
    """UpdateOracle when the feed has a round newer than the oracle's last folded one. Only when the oracle's
    state could not be read does the keeper fall back to one update per `oracle_interval_s`."""
    view = snapshot.oracle
    if view is not None:
        if view.new_round:
            return UpdateOracle(reason=f"feed round at {view.feed_updated_at} newer than folded {view.folded_at}")
        return None
    if snapshot.timestamp - state.last_oracle_update >= settings.oracle_interval_s:
        return UpdateOracle(reason="oracle state unread: update at the fallback interval")
    return None


def target_surface(expiry: int, realized_vol: float | None, target: SurfaceTarget) -> tuple[int, int]:
    """(ATM vol, skew) as WAD for `expiry` by the documented rule of SurfaceTarget (before the oracle's bounds)."""
    if expiry in target.atm_vol_by_expiry:
        atm = target.atm_vol_by_expiry[expiry]
    elif target.realized_ratio > 0 and realized_vol is not None:
        atm = target.realized_ratio * realized_vol
    else:
        atm = target.atm_vol
    return to_wad(atm), to_wad(target.skew)


def surface_posts(snapshot: ChainSnapshot, settings: KeeperSettings) -> PostSurfaces | None:
    """One postSurfaces batch, or None when no live expiry is due (see SurfaceTarget for the rule)."""
    book = snapshot.surfaces
    if book is None:
        return None
    target = settings.surface
    now = int(snapshot.timestamp)
    realized = snapshot.oracle.realized_vol if snapshot.oracle is not None else None
    tolerance = to_wad(target.tolerance)
    refresh_age = target.refresh_fraction * book.max_surface_age
    posts: list[tuple[int, int, int]] = []
    due: list[str] = []
    for item in sorted(book.expiries, key=lambda e: e.expiry):
        if item.expiry <= now + target.min_time_to_expiry_s:
            continue
        atm, skew = target_surface(item.expiry, realized, target)
        step = next_post(item.posted, atm, skew, book.limits, now)
        if step is None:
            continue  # posted less than minPostInterval ago
        posts.append((item.expiry, step[0], step[1]))
        last = item.posted
        if last.posted_at == 0:
            due.append(f"{item.expiry} never posted")
        elif now - last.posted_at >= refresh_age:
            due.append(f"{item.expiry} posted {now - last.posted_at}s ago")
        elif abs(step[0] - last.atm_vol) > tolerance or abs(step[1] - last.skew) > tolerance:
            due.append(f"{item.expiry} off target")
    if not due:
        return None
    return PostSurfaces(posts=tuple(posts), reason="; ".join(due))
