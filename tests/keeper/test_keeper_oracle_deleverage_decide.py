"""The oracle-update cadence, surface re-posting and perp deleveraging decisions, without a chain."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eth_abi import decode

from hedgekeeper.deploy_oracle import PARAMS
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.calls import ActionEncoder
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.oracle_surface import PostedSurface, SurfaceLimits
from hedgekeeper.strategy.actions import Deleverage, PostSurfaces, UpdateOracle
from hedgekeeper.strategy.decide import decide
from hedgekeeper.strategy.deleverage import deleverage_actions, ranked_targets
from hedgekeeper.strategy.observation import (
    ChainSnapshot,
    DeleverageCandidate,
    ExpirySurface,
    KeeperState,
    OracleView,
    PerpDebt,
    SurfaceBook,
)
from hedgekeeper.strategy.oracle_duties import oracle_update, surface_posts, target_surface
from hedgekeeper.strategy.types import BookSnapshot
from keeper_test_policy import BandPolicy

WAD = 10**18
NOW = 1_800_000_000
DUTIES = ("hedge", "margin", "oracle", "greeks", "settle", "liquidate_shorts", "liquidate_perps", "surface", "deleverage")
LIMITS = SurfaceLimits.from_params(PARAMS)  # the local deployment's: vols [0.05, 3], skew <= 1, +-0.1 / +-0.2 per post, 60 s
MAX_AGE = PARAMS["maxSurfaceAge"]  # 4 h
E1, E2, E3 = NOW + 7 * 86_400, NOW + 30 * 86_400, NOW + 120


def cfg(*on, **kw):
    return load_settings(duties={d: d in on for d in DUTIES}, **kw)


def book() -> BookSnapshot:
    return BookSnapshot(timestamp=float(NOW), spot=2000.0, mark=2000.0, index=2000.0, funding_rate_per_day=0.0,
                        options_delta=0.0, options_gamma=0.0, options_vega=0.0, options_theta=0.0, hedge_size=0.0,
                        time_to_expiry_years=0.02, hedge_equity=0.0, free_cash=1e6)


def chain(**kw) -> ChainSnapshot:
    return ChainSnapshot(book=book(), greeks_updated_at=float(NOW), nearest_expiry=float(E1), expired_unsettled_boards=0, **kw)


def posted(atm: float, age: int, skew: float = 0.0) -> PostedSurface:
    return PostedSurface(atm_vol=round(atm * WAD), skew=round(skew * WAD), posted_at=NOW - age if age >= 0 else 0)


def surfaces(*items: tuple[int, PostedSurface]) -> SurfaceBook:
    return SurfaceBook(limits=LIMITS, max_surface_age=MAX_AGE, expiries=tuple(ExpirySurface(e, p) for e, p in items))


# --- oracle update cadence -------------------------------------------------------------------------------


def test_update_whenever_the_feed_has_a_round_the_oracle_has_not_folded():
    settings = cfg("oracle", oracle_interval_s=3_600)
    fresh_state = KeeperState(last_oracle_update=NOW - 1)  # just updated: the interval does not hold a new round back
    (update,) = decide(chain(oracle=OracleView(feed_updated_at=NOW - 5, folded_at=NOW - 65, realized_vol=0.7)), fresh_state,
                       settings, BandPolicy())
    assert isinstance(update, UpdateOracle) and str(NOW - 5) in update.reason


def test_no_update_without_a_new_round_however_long_ago_the_last_one():
    settings = cfg("oracle", oracle_interval_s=60)
    same = chain(oracle=OracleView(feed_updated_at=NOW - 3_000, folded_at=NOW - 3_000, realized_vol=0.7))
    assert decide(same, KeeperState(), settings, BandPolicy()) == []  # last update never: still a no-op on chain
    # a feed round older than the folded one (cannot happen on a sane feed) is not new either
    older = chain(oracle=OracleView(feed_updated_at=NOW - 4_000, folded_at=NOW - 3_000, realized_vol=0.7))
    assert oracle_update(older, KeeperState(), settings) is None


def test_oracle_update_goes_before_the_greeks_refresh_that_reads_it():
    settings = cfg("oracle", "greeks", greeks_max_age_s=100)
    snap = replace(chain(oracle=OracleView(NOW, NOW - 60, 0.7)), greeks_updated_at=float(NOW - 1_000))
    assert [a.kind for a in decide(snap, KeeperState(), settings, BandPolicy())] == ["update_oracle", "refresh_greeks"]


# --- surface re-posting ----------------------------------------------------------------------------------


def test_never_posted_expiry_gets_the_target_at_once():
    (post,) = decide(chain(surfaces=surfaces((E1, posted(0, -1)))), KeeperState(), cfg("surface", surface={"atm_vol": 0.65}),
                     BandPolicy())
    assert post.posts == ((E1, 65 * WAD // 100, 0),)


def test_fresh_post_on_target_is_left_alone():
    settings = cfg("surface", surface={"atm_vol": 0.8})
    assert surface_posts(chain(surfaces=surfaces((E1, posted(0.8, 60)), (E2, posted(0.8, 7_000)))), settings) is None


def test_every_expiry_reposted_together_once_one_reaches_the_refresh_age():
    settings = cfg("surface", surface={"atm_vol": 0.8, "refresh_fraction": 0.5})
    half = MAX_AGE // 2
    assert surface_posts(chain(surfaces=surfaces((E1, posted(0.8, half - 1)), (E2, posted(0.8, 100)))), settings) is None
    post = surface_posts(chain(surfaces=surfaces((E1, posted(0.8, half)), (E2, posted(0.8, 100)))), settings)
    assert post is not None and post.posts == ((E1, 8 * WAD // 10, 0), (E2, 8 * WAD // 10, 0))
    assert f"{E1} posted {half}s ago" in post.reason


def test_move_toward_target_by_at_most_the_oracle_change_limits():
    settings = cfg("surface", surface={"atm_vol": 1.25, "skew": -0.5})
    post = surface_posts(chain(surfaces=surfaces((E1, posted(0.8, 600, skew=0.0)))), settings)
    assert post is not None and post.posts == ((E1, 9 * WAD // 10, -2 * WAD // 10),)  # +0.10 vol, -0.20 skew per post
    down = surface_posts(chain(surfaces=surfaces((E1, posted(0.85, 600)))), cfg("surface", surface={"atm_vol": 0.8}))
    assert down is not None and down.posts == ((E1, 8 * WAD // 10, 0),)  # within the limit: straight to target


def test_small_gap_below_tolerance_and_posts_within_min_interval_wait():
    settings = cfg("surface", surface={"atm_vol": 0.803, "tolerance": 0.005})
    assert surface_posts(chain(surfaces=surfaces((E1, posted(0.8, 600)))), settings) is None
    far = cfg("surface", surface={"atm_vol": 1.0})
    assert surface_posts(chain(surfaces=surfaces((E1, posted(0.8, LIMITS.min_post_interval - 1)))), far) is None
    assert surface_posts(chain(surfaces=surfaces((E1, posted(0.8, LIMITS.min_post_interval)))), far) is not None


def test_a_due_expiry_does_not_drag_in_one_posted_too_recently():
    settings = cfg("surface", surface={"atm_vol": 0.8})
    post = surface_posts(chain(surfaces=surfaces((E1, posted(0.8, MAX_AGE - 10)), (E2, posted(0.8, 30)))), settings)
    assert post is not None and [p[0] for p in post.posts] == [E1]  # E2 would revert PostTooSoon: the batch is all or nothing


def test_expiries_about_to_expire_are_skipped():
    settings = cfg("surface", surface={"min_time_to_expiry_s": 300})
    assert surface_posts(chain(surfaces=surfaces((E3, posted(0.8, MAX_AGE - 10)))), settings) is None
    assert surface_posts(chain(surfaces=surfaces((E3, posted(0.8, MAX_AGE - 10)))),
                         cfg("surface", surface={"min_time_to_expiry_s": 60})) is not None


def test_target_rule_per_expiry_then_realized_ratio_then_flat():
    rule = load_settings(surface={"atm_vol": 0.6, "realized_ratio": 1.2, "atm_vol_by_expiry": {E2: 0.9}, "skew": -0.1}).surface
    assert target_surface(E2, 0.5, rule) == (9 * WAD // 10, -WAD // 10)
    assert target_surface(E1, 0.5, rule) == (6 * WAD // 10, -WAD // 10)  # 1.2 x 0.5
    assert target_surface(E1, None, rule) == (6 * WAD // 10, -WAD // 10)  # realized unknown: the flat vol
    flat = load_settings(surface={"atm_vol": 0.7}).surface
    assert target_surface(E1, 2.0, flat) == (7 * WAD // 10, 0)


def test_target_outside_the_oracle_bounds_is_clamped_into_them():
    settings = cfg("oracle", "surface", surface={"realized_ratio": 0.01})  # 0.01 x 0.7 = 0.007 < minVol 0.05
    snap = chain(oracle=OracleView(NOW, NOW, 0.7), surfaces=surfaces((E1, posted(0, -1))))
    (post,) = decide(snap, KeeperState(), settings, BandPolicy())
    assert post.posts == ((E1, LIMITS.min_vol, 0),)


def test_surface_settings_are_bounds_checked():
    from hedgekeeper.errors import ConfigError

    for bad in ({"atm_vol": 0.0}, {"atm_vol": 5.0}, {"refresh_fraction": 1.0}, {"skew": -5.0}, {"atm_vol_by_expiry": {1: -0.2}},
                {"realized_ratio": -1.0}, {"unknown": 1}):
        with pytest.raises(ConfigError, match="invalid setting surface"):
            load_settings(surface=bad)


# --- perp deleveraging -----------------------------------------------------------------------------------

A, B, C, D, L1 = ("0x" + c * 40 for c in "abcde")


def debt(longs=0, shorts=0, insurance=0, cands=()):
    return PerpDebt(pending_longs=longs, pending_shorts=shorts, insurance_fund=insurance, candidates=tuple(cands))


CANDS = (
    DeleverageCandidate(A, -5 * WAD, 300),
    DeleverageCandidate(L1, 4 * WAD, 10**9),  # a profitable long: never pays the longs' debt
    DeleverageCandidate(B, -2 * WAD, 900),
    DeleverageCandidate(C, -1 * WAD, 0),  # not in profit
    DeleverageCandidate(D, -3 * WAD, 500),
)


def test_bankrupt_longs_debt_is_paid_by_profitable_shorts_best_rank_first():
    (act,) = decide(chain(perp_debt=debt(longs=1_234_567, cands=CANDS)), KeeperState(), cfg("deleverage"), BandPolicy())
    assert isinstance(act, Deleverage)
    assert act.targets == (B, D, A) and act.paying_side == "shorts" and act.pending_debt == pytest.approx(1.234567)


def test_bankrupt_shorts_debt_is_paid_by_longs_and_both_sides_get_a_call():
    (act,) = deleverage_actions(chain(perp_debt=debt(shorts=10, cands=CANDS)), cfg("deleverage"))
    assert act.targets == (L1,) and act.paying_side == "longs"
    both = deleverage_actions(chain(perp_debt=debt(longs=10, shorts=10, cands=CANDS)), cfg("deleverage"))
    assert [(a.paying_side, a.targets) for a in both] == [("shorts", (B, D, A)), ("longs", (L1,))]


def test_no_debt_nothing_to_do():
    assert deleverage_actions(chain(perp_debt=debt(cands=CANDS, insurance=10**9)), cfg("deleverage")) == []
    assert deleverage_actions(chain(), cfg("deleverage")) == []  # not read


def test_debt_without_payers_asks_the_insurance_fund_only_when_it_has_something():
    only_longs = (DeleverageCandidate(L1, WAD, 5),)
    (act,) = deleverage_actions(chain(perp_debt=debt(longs=50, insurance=1, cands=only_longs)), cfg("deleverage"))
    assert act.targets == () and act.paying_side == "insurance"
    assert deleverage_actions(chain(perp_debt=debt(longs=50, insurance=0, cands=only_longs)), cfg("deleverage")) == []


def test_ranks_compared_exactly_and_capped_per_call():
    big = 2**70  # big and big + 1 are the same float: the order must come from the integers
    cands = (DeleverageCandidate(A, -WAD, big), DeleverageCandidate(B, -WAD, big + 1), DeleverageCandidate(C, -WAD, big - 1))
    assert ranked_targets(cands, shorts_pay=True) == [B, A, C]
    (act,) = deleverage_actions(chain(perp_debt=debt(longs=1, cands=cands)),
                                cfg("deleverage", liquidation={"deleverage_max_targets": 2}))
    assert act.targets == (B, A)


def test_encoder_builds_post_surfaces_and_deleverage_calldata(project):
    oracle = ContractCodec("VolatilityOracle", "0x" + "11" * 20, [i.model_dump(mode="json", by_alias=True) for i in project.VolatilityOracle.contract_type.abi])
    perp = ContractCodec("PerpMarket", "0x" + "22" * 20, [i.model_dump(mode="json", by_alias=True) for i in project.PerpMarket.contract_type.abi])
    pool = ContractCodec("OptionsPool", "0x" + "33" * 20, [i.model_dump(mode="json", by_alias=True) for i in project.OptionsPool.contract_type.abi])
    enc = ActionEncoder(pool, oracle, perp)
    call = enc.encode(PostSurfaces(((E1, 9 * WAD // 10, -WAD // 5), (E2, WAD, 0)), "r"))
    assert call.to == oracle.address and call.function == "postSurfaces"
    (posts,) = decode(["(uint256,uint256,int256)[]"], bytes.fromhex(call.data[10:]))
    assert list(posts) == [(E1, 9 * WAD // 10, -WAD // 5), (E2, WAD, 0)]
    call = enc.encode(Deleverage((B, D), "shorts", 1.0, "r"))
    assert call.to == perp.address and call.function == "deleverage"
    (targets,) = decode(["address[]"], bytes.fromhex(call.data[10:]))
    assert [t.lower() for t in targets] == [B, D]
