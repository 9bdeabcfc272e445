"""Readings to step records: the PnL of each step is attributed and adds up to the NAV change."""

import math

import pytest

from hedgekeeper.model import black_scholes as bs
from hedgekeeper.sim.report import StepTable, summarize
from hedgekeeper.sim.steps import Reading, StepBuilder, StepError


def _reading(t, s, nav, hedge, **kw):
    g = bs.greeks(s, 2000.0, (86_400 * 7 - t) / (365 * 86_400), 0.8, call=True)
    base = dict(timestamp=t, index_price=s, mark=s * 1.001, spot=s, implied_vol=0.8, options_delta=-5 * float(g.delta),
                options_gamma=-5 * float(g.gamma), options_vega=-5 * float(g.vega), options_theta=-5 * float(g.theta),
                net_delta_before=-5 * float(g.delta) + hedge - 0.1, hedge_position=hedge, nav=nav, lp_share_price=1 + nav / 1e5)
    return Reading(**(base | kw))


def test_records_attribute_the_nav_change():
    b = StepBuilder()
    first = b.add(_reading(0.0, 2000.0, 0.0, 2.6))
    assert first.step == 0 and all(v == 0 for v in first.pnl.values())
    r1 = _reading(3600.0, 2010.0, 12.5, 2.7, cum_premium=3.0, cum_hedge_cost=-0.4, cum_funding=-0.1, cum_carry=0.01, cum_perp_liquidations=2)
    rec = b.add(r1)
    assert rec.step == 1 and rec.perp_liquidations == 2 and rec.option_liquidations == 0
    assert math.fsum(rec.pnl.values()) == pytest.approx(12.5, abs=1e-12)
    assert rec.pnl["premium"] == 3.0 and rec.pnl["hedge_cost"] == -0.4 and rec.pnl["funding"] == -0.1
    p0 = _reading(0.0, 2000.0, 0.0, 2.6)
    assert rec.pnl["delta"] == pytest.approx((p0.options_delta + 2.6) * 10.0)
    assert rec.pnl["gamma"] == pytest.approx(0.5 * p0.options_gamma * 100.0)
    assert rec.net_delta_after == pytest.approx(r1.options_delta + 2.7)
    rec2 = b.add(_reading(7200.0, 1990.0, 5.0, 2.5, cum_premium=3.0, cum_hedge_cost=-0.5, cum_funding=-0.1, cum_carry=0.02, cum_perp_liquidations=3))
    assert rec2.perp_liquidations == 1
    table = StepTable.from_records([first, rec, rec2])
    s = summarize(table)
    assert s["pnl_total"] == pytest.approx(s["nav"]["end"] - s["nav"]["start"]) and s["liquidations"]["perp"] == 3


def test_out_of_order_and_backwards_counters_fail():
    b = StepBuilder()
    b.add(_reading(100.0, 2000.0, 0.0, 2.6, cum_option_liquidations=1))
    with pytest.raises(StepError, match="does not follow"):
        b.add(_reading(100.0, 2001.0, 0.0, 2.6))
    with pytest.raises(StepError, match="went backwards"):
        b.add(_reading(200.0, 2001.0, 0.0, 2.6, cum_option_liquidations=0))
