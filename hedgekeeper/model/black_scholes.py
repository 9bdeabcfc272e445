"""Vectorised Black-Scholes (no dividends) for European calls and puts.

Inputs broadcast against each other (floats or numpy arrays). Units: spot and strike in quote per unit of
underlying; `tau` in years; `vol` and `rate` per year (0.2 = 20%). Outputs per one option on one unit:
price in quote; delta in underlying units; gamma per 1 quote of spot; vega per 1.00 of volatility;
theta per year (d price / d calendar time, so negative for a long vanilla most of the time).

At or after expiry (`tau <= 0`) the price is the intrinsic value, delta the exercise indicator
(at-the-money counts as not exercised) and gamma, vega and theta are zero."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

FloatArray = NDArray[np.float64]

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


@dataclass(frozen=True)
class Greeks:
    price: FloatArray
    delta: FloatArray
    gamma: FloatArray
    vega: FloatArray
    theta: FloatArray


def _pdf(x: FloatArray) -> FloatArray:
    return _INV_SQRT_2PI * np.exp(-0.5 * x * x)


def greeks(spot: ArrayLike, strike: ArrayLike, tau: ArrayLike, vol: ArrayLike, rate: ArrayLike = 0.0, *, call: ArrayLike = True) -> Greeks:
    """Price and greeks of a European option; `call` may be an array of booleans (False = put)."""
    s, k, t, v, r, c = np.broadcast_arrays(
        np.asarray(spot, dtype=float), np.asarray(strike, dtype=float), np.asarray(tau, dtype=float),
        np.asarray(vol, dtype=float), np.asarray(rate, dtype=float), np.asarray(call, dtype=bool),
    )
    live = t > 0.0
    t_safe = np.where(live, t, 1.0)
    sqrt_t = np.sqrt(t_safe)
    v_sqrt_t = v * sqrt_t
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(s / k) + (r + 0.5 * v * v) * t_safe) / v_sqrt_t
    d2 = d1 - v_sqrt_t
    disc = np.exp(-r * t_safe)
    nd1, nd2 = ndtr(d1), ndtr(d2)
    pdf1 = _pdf(d1)
    call_price = s * nd1 - k * disc * nd2
    put_price = call_price - s + k * disc
    price = np.where(c, call_price, put_price)
    delta = np.where(c, nd1, nd1 - 1.0)
    gamma = pdf1 / (s * v_sqrt_t)
    vega = s * pdf1 * sqrt_t
    common = -s * pdf1 * v / (2.0 * sqrt_t)
    theta = np.where(c, common - r * k * disc * nd2, common + r * k * disc * ndtr(-d2))

    intrinsic = np.where(c, np.maximum(s - k, 0.0), np.maximum(k - s, 0.0))
    exercised = np.where(c, (s > k).astype(float), -(s < k).astype(float))
    zero = np.zeros_like(s)
    return Greeks(
        price=np.where(live, price, intrinsic),
        delta=np.where(live, delta, exercised),
        gamma=np.where(live, gamma, zero),
        vega=np.where(live, vega, zero),
        theta=np.where(live, theta, zero),
    )


def price(spot: ArrayLike, strike: ArrayLike, tau: ArrayLike, vol: ArrayLike, rate: ArrayLike = 0.0, *, call: ArrayLike = True) -> FloatArray:
    return greeks(spot, strike, tau, vol, rate, call=call).price
