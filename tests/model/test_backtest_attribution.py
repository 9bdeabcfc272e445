"""The backtester's bookkeeping: components add up, vega is attributed, the scalar and vectorised
policy paths give the same run, same seed same result, and bad inputs are named."""

import numpy as np
import pytest
from scipy.stats import norm

from hedgekeeper.model.attribution import COMPONENTS, attribute_step
from hedgekeeper.model.backtest import SECONDS_PER_YEAR, BacktestError, MarketModel, OptionPosition, run_backtest
from hedgekeeper.model.paths import gbm_paths, jump_diffusion_paths
from hedgekeeper.strategy.policies import make_policy

T, N = 7 / 365, 56
DT = T / N


def test_attribute_step_by_hand():
    parts = attribute_step(
        nav_before=10.0, nav_after=12.0, spot_before=100.0, spot_after=102.0, vol_before=0.5, vol_after=0.48,
        dt_years=0.01, options_delta=-0.5, options_gamma=-0.03, options_vega=-20.0, options_theta=30.0, hedge_size=0.4,
        premium=0.25, hedge_cost=-0.05, funding=-0.01, carry=0.002,
    )
    assert parts["delta"] == pytest.approx(-0.2) and parts["gamma"] == pytest.approx(-0.06)
    assert parts["theta"] == pytest.approx(0.3) and parts["vega"] == pytest.approx(0.4)
    assert parts["total"] == pytest.approx(2.0)
    assert parts["residual"] == pytest.approx(2.0 - (-0.2 - 0.06 + 0.3 + 0.4 + 0.25 - 0.05 - 0.01 + 0.002))
    assert set(parts) == {*COMPONENTS, "total"}


def _run(policy, paths, **market):
    m = dict(implied_vol=0.8, rate=0.03, cost_rate=0.001, funding_rate=0.1, premium_fee=0.02) | market
    return run_backtest(paths, DT, OptionPosition(strike=2000, expiry_years=T, quantity=-5.0), MarketModel(**m), policy)


def test_components_add_up_to_the_pnl_on_every_step_and_path():
    paths = jump_diffusion_paths(2000, 0.0, 0.8, DT, N, 200, 3, jump_intensity=20, jump_mean=-0.03, jump_std=0.05)
    res = _run(make_policy("ww", gamma_risk=0.05, min_band=0.05), paths)
    st = res.steps
    step_sum = sum(st.components[c] for c in COMPONENTS)
    assert np.allclose(step_sum, np.diff(st.nav, axis=1), rtol=0, atol=1e-9)
    assert np.allclose(sum(res.totals[c] for c in COMPONENTS), res.final_pnl, rtol=0, atol=1e-8)
    assert np.allclose(st.nav[:, -1], res.final_pnl)
    # premium edge is the fee on the model premium, booked on the first step only
    assert np.all(st.components["premium"][:, 1:] == 0)
    assert st.components["premium"][0, 0] > 0
    assert np.all(res.totals["hedge_cost"] < 0) and np.all(res.hedge_trades >= 1)
    # the residual is small next to the gamma and theta it corrects (third-order terms, jumps aside)
    assert np.abs(res.totals["residual"]).mean() < 0.3 * np.abs(res.totals["gamma"]).mean()


def test_vega_component_explains_implied_vol_moves():
    half = N // 2  # stop half-way to expiry, where theta is smooth
    paths = np.full((1, half + 1), 2000.0)  # spot fixed: only time and vol move
    iv = np.linspace(0.8, 1.0, half + 1)
    res = run_backtest(paths, DT, OptionPosition(2000, T, -5.0), MarketModel(0.8), make_policy("interval", interval_seconds=DT * SECONDS_PER_YEAR), implied_vol_path=iv)
    c = res.totals
    assert c["vega"][0] < 0  # short vega loses when implied vol rises
    assert abs(c["residual"][0]) < 0.05 * abs(c["vega"][0])
    assert abs(c["vega"][0] + c["theta"][0] + c["residual"][0] - res.final_pnl[0]) < 1e-9


def test_scalar_policy_path_equals_vectorised_path():
    class ScalarOnly:  # the same policy seen through `decide` only, as the keeper calls it
        def __init__(self, inner):
            self.inner, self.name = inner, inner.name

        def decide(self, snapshot, state):
            return self.inner.decide(snapshot, state)

    paths = gbm_paths(2000, 0.0, 0.9, DT, N, 40, seed=8)
    for p in (make_policy("interval", interval_seconds=4 * DT * SECONDS_PER_YEAR), make_policy("ww", gamma_risk=0.05, target="edge")):
        a, b = _run(p, paths), _run(ScalarOnly(p), paths)
        assert np.array_equal(a.hedge_trades, b.hedge_trades)
        assert np.allclose(a.steps.hedge_position, b.steps.hedge_position, rtol=1e-12, atol=1e-12)
        assert np.allclose(a.final_pnl, b.final_pnl, rtol=1e-12, atol=1e-9)


def test_fixed_interval_trades_every_m_steps():
    paths = gbm_paths(2000, 0.0, 0.8, DT, N, 10, seed=1)
    res = _run(make_policy("interval", interval_seconds=7 * DT * SECONDS_PER_YEAR), paths)
    traded = res.steps.trade_size != 0
    assert traded[:, ::7].all() and not np.delete(traded, np.s_[::7], axis=1).any()


def test_same_seed_same_backtest():
    p = make_policy("band", band=0.5)
    a = _run(p, gbm_paths(2000, 0.0, 0.8, DT, N, 30, seed=4))
    b = _run(p, gbm_paths(2000, 0.0, 0.8, DT, N, 30, seed=4))
    assert np.array_equal(a.final_pnl, b.final_pnl)


def test_expiry_settles_at_intrinsic():
    paths = gbm_paths(2000, 0.0, 0.8, DT, N, 50, seed=2)
    res = run_backtest(paths, DT, OptionPosition(2000, T, -1.0), MarketModel(0.8), make_policy("band", band=100.0))  # never hedges
    premium = 2000 * (2 * norm.cdf(0.8 * np.sqrt(T) / 2) - 1)  # ATM call at r = 0
    assert np.allclose(res.final_pnl, premium - np.maximum(paths[:, -1] - 2000, 0), atol=1e-9)


@pytest.mark.parametrize(
    "kw,needle",
    [
        (dict(paths=np.ones(5)), "paths must have shape"),
        (dict(paths=-np.ones((2, N + 1))), "positive finite"),
        (dict(dt_years=0.0), "dt_years must be > 0"),
        (dict(dt_years=2 * DT), "run past the option's expiry"),
        (dict(option=OptionPosition(0, T, -1)), "strike and expiry"),
        (dict(market=MarketModel(0.0)), "implied_vol must be > 0"),
        (dict(market=MarketModel(0.8, cost_rate=-0.1)), "cost_rate"),
        (dict(implied_vol_path=np.zeros(N + 1)), "implied_vol_path"),
    ],
)
def test_bad_inputs_are_named(kw, needle):
    args = dict(paths=np.full((2, N + 1), 2000.0), dt_years=DT, option=OptionPosition(2000, T, -1), market=MarketModel(0.8), policy=make_policy("band", band=1))
    args |= kw
    with pytest.raises(BacktestError, match=needle):
        run_backtest(**args)
