"""Per-step PnL attribution of a hedged option book, reusable on model steps and on chain readings.

A step runs from one reading of the book (before that moment's trades) to the next. Over the step the
book's value (NAV: cash + hedge mark-to-market + options at model value) changes by `total`, split into

    delta       net delta (options + hedge, after the step's hedge trade) x dS       (the hedging error)
    gamma       1/2 Gamma dS^2                                                     (book gamma, per quote)
    theta       Theta dt                                                           (book theta, per year)
    vega        Vega d(implied vol)                                                (book vega, per 1.00 vol)
    premium     premium and fees received minus model value of options written in the step
    hedge_cost  trading costs paid on the hedge (fees and impact; <= 0)
    funding     perp funding received (+) or paid (-)
    carry       interest earned on cash
    residual    total minus all of the above (higher-order and cross terms, model error)

so the components always add up to `total`. Greeks are the book's (position-weighted, signed) greeks
read at the start of the step; `hedge_size` is the hedge after the step's trade. Every argument may be
a float or a numpy array (one entry per path); the results broadcast the same way. Money is in quote."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

COMPONENTS: tuple[str, ...] = ("delta", "gamma", "theta", "vega", "premium", "hedge_cost", "funding", "carry", "residual")


def attribute_step(
    *,
    nav_before: Any,
    nav_after: Any,
    spot_before: Any,
    spot_after: Any,
    vol_before: Any,
    vol_after: Any,
    dt_years: Any,
    options_delta: Any,
    options_gamma: Any,
    options_vega: Any,
    options_theta: Any,
    hedge_size: Any,
    premium: Any = 0.0,
    hedge_cost: Any = 0.0,
    funding: Any = 0.0,
    carry: Any = 0.0,
) -> dict[str, FloatArray]:
    """Components of one step's NAV change (see the module docstring); the dict also holds `total`."""
    ds = np.asarray(spot_after, dtype=float) - np.asarray(spot_before, dtype=float)
    dvol = np.asarray(vol_after, dtype=float) - np.asarray(vol_before, dtype=float)
    out: dict[str, FloatArray] = {
        "delta": (np.asarray(options_delta, dtype=float) + np.asarray(hedge_size, dtype=float)) * ds,
        "gamma": 0.5 * np.asarray(options_gamma, dtype=float) * ds * ds,
        "theta": np.asarray(options_theta, dtype=float) * np.asarray(dt_years, dtype=float),
        "vega": np.asarray(options_vega, dtype=float) * dvol,
        "premium": np.asarray(premium, dtype=float),
        "hedge_cost": np.asarray(hedge_cost, dtype=float),
        "funding": np.asarray(funding, dtype=float),
        "carry": np.asarray(carry, dtype=float),
    }
    total = np.asarray(nav_after, dtype=float) - np.asarray(nav_before, dtype=float)
    explained = sum(out.values(), np.zeros_like(total))
    out["residual"] = total - explained
    out["total"] = total + 0.0 * explained
    return out
