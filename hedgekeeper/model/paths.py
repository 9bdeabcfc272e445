"""Seeded price-path generators. Same seed, same paths.

Paths are arrays of shape (n_paths, n_steps + 1) with column 0 equal to `s0`; `dt_years` is the step
length in years; `drift` and `vol` are per year. Jump diffusion is Merton's: Poisson jumps of intensity
`jump_intensity` per year with log-jump sizes N(jump_mean, jump_std^2), drift-compensated so that
E[S_t] = s0 exp(drift t) under both models."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hedgekeeper.errors import HedgekeeperError

FloatArray = NDArray[np.float64]


class PathError(HedgekeeperError):
    """Path-generator parameters are invalid."""


def rng_from(seed: int | np.random.Generator) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check(s0: float, vol: float, dt_years: float, n_steps: int, n_paths: int) -> None:
    if not (np.isfinite(s0) and s0 > 0):
        raise PathError(f"s0 must be a positive number, got {s0}")
    if not (np.isfinite(vol) and vol >= 0):
        raise PathError(f"vol must be >= 0, got {vol}")
    if not (np.isfinite(dt_years) and dt_years > 0):
        raise PathError(f"dt_years must be > 0, got {dt_years}")
    if n_steps < 1:
        raise PathError(f"n_steps must be >= 1, got {n_steps}")
    if n_paths < 1:
        raise PathError(f"n_paths must be >= 1, got {n_paths}")


def gbm_paths(s0: float, drift: float, vol: float, dt_years: float, n_steps: int, n_paths: int, seed: int | np.random.Generator) -> FloatArray:
    """Geometric Brownian motion sampled exactly on the grid (log-normal increments)."""
    _check(s0, vol, dt_years, n_steps, n_paths)
    z = rng_from(seed).standard_normal((n_paths, n_steps))
    log_inc = (drift - 0.5 * vol * vol) * dt_years + vol * np.sqrt(dt_years) * z
    return _assemble(s0, log_inc)


def jump_diffusion_paths(
    s0: float, drift: float, vol: float, dt_years: float, n_steps: int, n_paths: int, seed: int | np.random.Generator,
    *, jump_intensity: float, jump_mean: float, jump_std: float,
) -> FloatArray:
    """Merton jump diffusion sampled exactly on the grid (Poisson count of normal log-jumps per step)."""
    _check(s0, vol, dt_years, n_steps, n_paths)
    if not (np.isfinite(jump_intensity) and jump_intensity >= 0):
        raise PathError(f"jump_intensity must be >= 0, got {jump_intensity}")
    if not (np.isfinite(jump_std) and jump_std >= 0):
        raise PathError(f"jump_std must be >= 0, got {jump_std}")
    if not np.isfinite(jump_mean):
        raise PathError(f"jump_mean must be finite, got {jump_mean}")
    rng = rng_from(seed)
    z = rng.standard_normal((n_paths, n_steps))
    counts = rng.poisson(jump_intensity * dt_years, (n_paths, n_steps))
    jumps = counts * jump_mean + np.sqrt(counts) * jump_std * rng.standard_normal((n_paths, n_steps))
    compensator = jump_intensity * (np.exp(jump_mean + 0.5 * jump_std**2) - 1.0)
    log_inc = (drift - compensator - 0.5 * vol * vol) * dt_years + vol * np.sqrt(dt_years) * z + jumps
    return _assemble(s0, log_inc)


def _assemble(s0: float, log_inc: FloatArray) -> FloatArray:
    out = np.empty((log_inc.shape[0], log_inc.shape[1] + 1))
    out[:, 0] = s0
    out[:, 1:] = s0 * np.exp(np.cumsum(log_inc, axis=1))
    return out
