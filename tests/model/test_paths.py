"""Seeded GBM and Merton jump-diffusion paths: reproducible, with the moments theory gives."""

import numpy as np
import pytest

from hedgekeeper.model.paths import PathError, gbm_paths, jump_diffusion_paths


def test_same_seed_same_paths_other_seed_other_paths():
    a = gbm_paths(100, 0.05, 0.2, 1 / 365, 30, 50, seed=3)
    b = gbm_paths(100, 0.05, 0.2, 1 / 365, 30, 50, seed=3)
    c = gbm_paths(100, 0.05, 0.2, 1 / 365, 30, 50, seed=4)
    assert a.shape == (50, 31) and np.array_equal(a, b) and not np.array_equal(a, c)
    assert np.all(a[:, 0] == 100)
    kw = dict(jump_intensity=5, jump_mean=-0.05, jump_std=0.1)
    j1 = jump_diffusion_paths(100, 0.0, 0.2, 1 / 365, 30, 50, 3, **kw)
    j2 = jump_diffusion_paths(100, 0.0, 0.2, 1 / 365, 30, 50, 3, **kw)
    assert np.array_equal(j1, j2)


def test_gbm_log_returns_have_the_theoretical_mean_and_variance():
    mu, sigma, dt, n = 0.1, 0.5, 1 / 52, 20_000
    p = gbm_paths(10.0, mu, sigma, dt, 4, n, seed=11)
    lr = np.log(p[:, -1] / p[:, 0])
    mean, var = (mu - sigma**2 / 2) * 4 * dt, sigma**2 * 4 * dt
    assert abs(lr.mean() - mean) < 4 * np.sqrt(var / n)
    assert abs(lr.var() / var - 1) < 4 * np.sqrt(2 / n)


def test_jump_diffusion_keeps_the_drift_and_has_fat_tails():
    mu, t, n = 0.05, 0.25, 40_000
    p = jump_diffusion_paths(100, mu, 0.2, t / 10, 10, n, seed=5, jump_intensity=8, jump_mean=-0.08, jump_std=0.1)
    st = p[:, -1]
    assert abs(st.mean() - 100 * np.exp(mu * t)) < 4 * st.std() / np.sqrt(n)
    lr = np.log(st / 100)
    z = (lr - lr.mean()) / lr.std()
    assert (z**4).mean() - 3 > 0.3  # excess kurtosis from the jumps (GBM has 0)


@pytest.mark.parametrize(
    "kw,needle",
    [
        (dict(s0=0), "s0"), (dict(vol=-0.1), "vol"), (dict(dt_years=0), "dt_years"),
        (dict(n_steps=0), "n_steps"), (dict(n_paths=0), "n_paths"), (dict(s0=float("nan")), "s0"),
    ],
)
def test_bad_parameters_are_named(kw, needle):
    args = dict(s0=100, drift=0.0, vol=0.2, dt_years=0.01, n_steps=5, n_paths=5, seed=1) | kw
    with pytest.raises(PathError, match=needle):
        gbm_paths(**args)


@pytest.mark.parametrize("kw,needle", [(dict(jump_intensity=-1), "jump_intensity"), (dict(jump_std=-0.1), "jump_std"), (dict(jump_mean=float("inf")), "jump_mean")])
def test_bad_jump_parameters_are_named(kw, needle):
    jk = dict(jump_intensity=1.0, jump_mean=0.0, jump_std=0.1) | kw
    with pytest.raises(PathError, match=needle):
        jump_diffusion_paths(100, 0.0, 0.2, 0.01, 5, 5, 1, **jk)
