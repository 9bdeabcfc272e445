"""Hedging policies: decisions, the Whalley-Wilmott band against an independent mpmath evaluation,
scalar `decide` == vectorised `decide_many`, and the factory's errors."""

import math

import mpmath as mp
import numpy as np
import pytest

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.strategy.policies import (
    BookBatch, FixedBandPolicy, FixedIntervalPolicy, PolicyError, WhalleyWilmottPolicy, make_policy,
)
from hedgekeeper.strategy.types import BookSnapshot, HedgeState


def snap(**kw):
    base = dict(timestamp=1_000.0, spot=2000.0, mark=2000.0, index=2000.0, funding_rate_per_day=0.0, options_delta=-3.0,
                options_gamma=-0.004, options_vega=0.0, options_theta=0.0, hedge_size=2.0, time_to_expiry_years=0.05,
                rate=0.03, cost_rate=0.0005)
    return BookSnapshot(**(base | kw))


def test_fixed_interval_hedges_to_zero_when_due_only():
    p = make_policy("fixed_interval", interval_seconds=3600)
    first = p.decide(snap(), HedgeState())
    assert first.size_delta == pytest.approx(1.0) and first.target_net_delta == 0.0
    assert p.decide(snap(timestamp=4_599.0), HedgeState(last_hedge_timestamp=1_000.0)) is None
    due = p.decide(snap(timestamp=4_600.0), HedgeState(last_hedge_timestamp=1_000.0))
    assert due is not None and due.size_delta == pytest.approx(1.0)
    assert p.decide(snap(hedge_size=3.0), HedgeState()) is None  # already flat


def test_fixed_band_to_zero_and_to_edge():
    inside = snap(options_delta=-3.0, hedge_size=2.5)  # net -0.5
    outside = snap(options_delta=-3.0, hedge_size=1.0)  # net -2
    zero = make_policy("band", band=1.0)
    edge = make_policy("fixed_band", band=1.0, target="edge")
    assert zero.decide(inside, HedgeState()) is None and edge.decide(inside, HedgeState()) is None
    assert zero.decide(outside, HedgeState()).size_delta == pytest.approx(2.0)
    o = edge.decide(outside, HedgeState())
    assert o.target_net_delta == -1.0 and o.size_delta == pytest.approx(1.0)
    up = edge.decide(snap(options_delta=1.0, hedge_size=0.5), HedgeState())  # net +1.5
    assert up.target_net_delta == 1.0 and up.size_delta == pytest.approx(-0.5)


def test_min_trade_size_suppresses_small_orders():
    p = make_policy("fixed_interval", interval_seconds=1, min_trade_size=0.5)
    assert p.decide(snap(hedge_size=2.8), HedgeState()) is None
    assert p.decide(snap(hedge_size=2.4), HedgeState()) is not None


def _ww_reference(s, gamma_risk, horizon_days):
    k = 2 * mp.mpf(s.cost_rate) + abs(mp.mpf(s.funding_rate_per_day)) * horizon_days
    x = 3 * mp.exp(-mp.mpf(s.rate) * s.time_to_expiry_years) * k * s.spot * mp.mpf(s.options_gamma) ** 2 / (2 * mp.mpf(gamma_risk))
    return float(mp.root(x, 3))


@pytest.mark.parametrize("gamma_risk,horizon", [(0.01, 0.0), (1.0, 0.0), (0.05, 1.0), (5.0, 7.0)])
def test_whalley_wilmott_band_matches_the_formula(gamma_risk, horizon):
    s = snap(funding_rate_per_day=-0.0003)
    p = WhalleyWilmottPolicy(gamma_risk=gamma_risk, funding_horizon_days=horizon)
    assert p.band(s) == pytest.approx(_ww_reference(s, gamma_risk, horizon), rel=1e-12)


def test_whalley_wilmott_trades_to_edge_or_zero_and_floors_the_band():
    s = snap(options_delta=-3.0, hedge_size=0.0)  # net -3
    p = make_policy("ww", gamma_risk=0.01)
    h = p.band(s)
    assert 0 < h < 3
    o = p.decide(s, HedgeState())
    assert o.target_net_delta == pytest.approx(-h) and o.size_delta == pytest.approx(3 - h)
    assert make_policy("ww", gamma_risk=0.01, target="zero").decide(s, HedgeState()).target_net_delta == 0.0
    assert p.decide(snap(options_delta=-3.0, hedge_size=3.0 - 0.9 * h), HedgeState()) is None
    flat = snap(options_gamma=0.0, options_delta=0.05, hedge_size=0.0)
    assert p.band(flat) == 0.0 and p.decide(flat, HedgeState()) is not None
    floored = make_policy("ww", gamma_risk=0.01, min_band=0.1)
    assert floored.band(flat) == 0.1 and floored.decide(flat, HedgeState()) is None


def test_decide_many_gives_the_same_decisions_as_decide():
    rng = np.random.default_rng(42)
    n = 2_000
    batch = BookBatch(
        timestamp=rng.uniform(0, 20_000, n), spot=rng.uniform(500, 4000, n), options_delta=rng.normal(0, 5, n),
        options_gamma=rng.normal(0, 0.01, n), hedge_size=rng.normal(0, 5, n), time_to_expiry_years=rng.uniform(0, 0.3, n),
        rate=rng.uniform(0, 0.08, n), cost_rate=rng.uniform(0, 0.003, n), funding_rate_per_day=rng.normal(0, 0.001, n),
    )
    last = np.where(rng.random(n) < 0.2, -np.inf, rng.uniform(0, 20_000, n))
    policies = [
        make_policy("fixed_interval", interval_seconds=3600), make_policy("fixed_interval", interval_seconds=600, min_trade_size=1.0),
        make_policy("fixed_band", band=2.0), make_policy("fixed_band", band=2.0, target="edge", min_trade_size=0.3),
        make_policy("ww", gamma_risk=0.02), make_policy("ww", gamma_risk=0.5, target="zero", min_band=0.5, funding_horizon_days=2),
    ]
    for p in policies:
        many = p.decide_many(batch, last)
        assert 0 < many.trade.sum() < n, p.name  # both branches exercised
        for i in range(n):
            o = p.decide(batch.snapshot(i), HedgeState(last_hedge_timestamp=float(last[i])))
            assert (o is not None) == bool(many.trade[i]), (p.name, i)
            if o is not None:
                assert o.size_delta == pytest.approx(many.size_delta[i], rel=1e-12, abs=1e-12)
                assert o.target_net_delta == pytest.approx(many.target_net_delta[i], rel=1e-12, abs=1e-12)
            else:
                assert many.size_delta[i] == 0.0


@pytest.mark.parametrize(
    "name,params,needle",
    [
        ("no_such_policy", {}, "unknown policy 'no_such_policy'"),
        ("fixed_interval", {}, "needs parameter 'interval_seconds'"),
        ("fixed_interval", {"interval_seconds": 0}, "interval_seconds must be > 0"),
        ("fixed_interval", {"interval_seconds": "soon"}, "interval_seconds must be a number"),
        ("fixed_interval", {"interval_seconds": 60, "band": 1}, "unknown parameter 'band'"),
        ("fixed_band", {"band": -1}, "band must be >= 0"),
        ("fixed_band", {"band": 1, "target": "middle"}, "target must be 'zero' or 'edge'"),
        ("fixed_band", {"band": math.inf}, "band must be finite"),
        ("whalley_wilmott", {"gamma_risk": 0}, "gamma_risk must be > 0"),
        ("ww", {"gamma_risk": 1, "min_band": -0.1}, "min_band must be >= 0"),
        ("ww", {"gamma_risk": 1, "funding_horizon_days": -1}, "funding_horizon_days must be >= 0"),
        ("ww", {"gamma_risk": 1, "min_trade_size": -1}, "min_trade_size must be >= 0"),
    ],
)
def test_factory_rejects_bad_names_and_parameters(name, params, needle):
    with pytest.raises(PolicyError, match=needle) as exc:
        make_policy(name, **params)
    assert isinstance(exc.value, HedgekeeperError)


def test_factory_builds_each_policy_by_name_and_alias():
    assert isinstance(make_policy("interval", interval_seconds=1), FixedIntervalPolicy)
    assert isinstance(make_policy("fixed_band", band=1), FixedBandPolicy)
    assert isinstance(make_policy("whalley_wilmott", gamma_risk=1), WhalleyWilmottPolicy)
