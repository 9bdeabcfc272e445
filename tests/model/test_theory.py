"""The backtester against closed forms (references computed here with scipy, not with the code under
test): Derman-Kamal hedging error, the sign and size of the volatility edge, the cost of
fixed-interval hedging, and the Whalley-Wilmott band against the fixed-interval frontier."""

import numpy as np
import pytest
from scipy.stats import linregress, norm

from hedgekeeper.model.backtest import SECONDS_PER_YEAR, MarketModel, OptionPosition, run_backtest
from hedgekeeper.model.paths import gbm_paths
from hedgekeeper.strategy.policies import make_policy

S0 = K = 100.0
T, SIGMA, R = 1 / 12, 0.2, 0.05
SHORT_CALL = OptionPosition(strike=K, expiry_years=T, quantity=-1.0)


def _d1(s, tau, vol):
    return (np.log(s / K) + (R + vol * vol / 2) * tau) / (vol * np.sqrt(tau))


def _bs_call(vol):
    d1 = _d1(S0, T, vol)
    return S0 * norm.cdf(d1) - K * np.exp(-R * T) * norm.cdf(d1 - vol * np.sqrt(T))


def _gamma(s, tau, vol):
    return norm.pdf(_d1(s, tau, vol)) / (s * vol * np.sqrt(tau))


def _every_step(n, cost=0.0, implied=SIGMA, realized=SIGMA, paths=4000, seed=1):
    dt = T / n
    p = gbm_paths(S0, R, realized, dt, n, paths, seed=seed)
    policy = make_policy("fixed_interval", interval_seconds=dt * SECONDS_PER_YEAR)
    return p, run_backtest(p, dt, SHORT_CALL, MarketModel(implied, R, cost_rate=cost), policy, keep_steps=False)


def derman_kamal(n):
    vega = S0 * np.sqrt(T) * norm.pdf(_d1(S0, T, SIGMA))
    return np.sqrt(np.pi / (4 * n)) * vega * SIGMA


def test_derman_kamal_reference_values():
    assert derman_kamal(21) == pytest.approx(0.443, abs=5e-4)
    assert derman_kamal(84) == pytest.approx(0.222, abs=5e-4)


@pytest.mark.parametrize("n", [21, 84])
def test_hedging_error_std_matches_derman_kamal(n):
    _, res = _every_step(n)
    ratio = res.final_pnl.std() / derman_kamal(n)
    assert 0.9 < ratio < 1.1, ratio


def test_hedging_error_falls_as_one_over_sqrt_n():
    ns = np.array([10, 20, 40, 80, 160])
    stds = [_every_step(int(n), paths=3000, seed=int(n))[1].final_pnl.std() for n in ns]
    slope = linregress(np.log(ns), np.log(stds)).slope
    assert -0.55 < slope < -0.45, slope


@pytest.mark.parametrize("realized", [0.15, 0.25])
def test_short_book_earns_the_volatility_edge(realized):
    n = 84
    dt = T / n
    paths, res = _every_step(n, realized=realized, seed=5)
    pnl = res.final_pnl  # money at expiry
    # sign: short earns when implied > realized, loses when realized > implied
    assert np.sign(pnl.mean()) == np.sign(SIGMA - realized)
    se = pnl.std() / np.sqrt(pnl.size)
    # exact expectation for a drift equal to the rate, any hedge: premium at implied minus value at realized
    closed = (_bs_call(SIGMA) - _bs_call(realized)) * np.exp(R * T)
    assert abs(pnl.mean() - closed) < 4 * se + 0.02 * abs(closed)
    # 1/2 Gamma S^2 (sigma_r^2 - sigma_i^2) dt integrated along each path (book gamma = -Gamma), grown to expiry
    t = np.arange(n) * dt
    s = paths[:, :n]
    integral = (-0.5 * _gamma(s, T - t, SIGMA) * s**2 * (realized**2 - SIGMA**2) * dt * np.exp(R * (T - t))).sum(axis=1)
    diff = pnl - integral
    assert abs(diff.mean()) < 4 * diff.std() / np.sqrt(diff.size) + 0.03 * abs(integral.mean())
    assert abs(pnl.mean() / integral.mean() - 1) < 0.05


@pytest.mark.parametrize("n", [21, 84])
def test_fixed_interval_cost_matches_the_closed_form(n):
    k = 0.002
    dt = T / n
    paths, res = _every_step(n, cost=k, seed=9)
    initial = k * S0 * norm.cdf(_d1(S0, T, SIGMA))  # first trade: the whole delta
    measured = -res.totals["hedge_cost"].mean() - initial
    t = np.arange(1, n) * dt
    s = paths[:, 1:n]
    expected = (np.sqrt(2 / np.pi) * k * SIGMA * s**2 * _gamma(s, T - t, SIGMA) * np.sqrt(dt)).sum(axis=1).mean()
    assert abs(measured / expected - 1) < 0.10, measured / expected


def test_whalley_wilmott_lies_inside_the_fixed_interval_frontier():
    k, n = 0.002, 336
    dt = T / n
    paths = gbm_paths(S0, R, SIGMA, dt, n, 2000, seed=21)
    market = MarketModel(SIGMA, R, cost_rate=k)

    def point(policy):
        res = run_backtest(paths, dt, SHORT_CALL, market, policy, keep_steps=False)
        cost = -res.totals["hedge_cost"]
        return cost.mean(), (res.final_pnl + cost).std()  # (mean cost, std of the hedging error before costs)

    frontier = np.array([point(make_policy("interval", interval_seconds=m * dt * SECONDS_PER_YEAR)) for m in (1, 2, 4, 8, 16, 32, 64)])
    order = np.argsort(frontier[:, 0])
    for gamma_risk in (5.0, 20.0, 100.0):
        cost, err = point(make_policy("ww", gamma_risk=gamma_risk))
        assert frontier[:, 0].min() <= cost <= frontier[:, 0].max(), (gamma_risk, cost)
        on_frontier = np.exp(np.interp(np.log(cost), np.log(frontier[order, 0]), np.log(frontier[order, 1])))
        assert err <= on_frontier, (gamma_risk, cost, err, on_frontier)


def test_long_book_earns_when_realized_exceeds_implied():
    n = 42
    dt = T / n
    policy = make_policy("fixed_interval", interval_seconds=dt * SECONDS_PER_YEAR)
    long_call = OptionPosition(strike=K, expiry_years=T, quantity=+1.0)
    for realized, sign in ((0.25, 1.0), (0.15, -1.0)):
        paths = gbm_paths(S0, R, realized, dt, n, 4000, seed=31)
        pnl = run_backtest(paths, dt, long_call, MarketModel(SIGMA, R), policy, keep_steps=False).final_pnl
        closed = (_bs_call(realized) - _bs_call(SIGMA)) * np.exp(R * T)
        assert np.sign(pnl.mean()) == sign == np.sign(closed)
        assert abs(pnl.mean() - closed) < 4 * pnl.std() / np.sqrt(pnl.size) + 0.02 * abs(closed)
