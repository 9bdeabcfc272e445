"""Every conversion between on-chain integers and the floats the strategy uses, in one place.

On chain: prices, sizes, greeks and rates are WAD (18 decimals); money is quote-token units (6 decimals);
times are unix seconds. Off chain: floats in natural units (USD, ETH, fractions per day or year)."""

from __future__ import annotations

from decimal import Decimal

WAD = 10**18
QUOTE_DECIMALS = 6
QUOTE_UNIT = 10**QUOTE_DECIMALS
SECONDS_PER_YEAR = 365 * 24 * 3600
SECONDS_PER_DAY = 24 * 3600


def from_wad(value: int) -> float:
    """WAD integer -> float (exact to double precision)."""
    return float(Decimal(int(value)) / Decimal(WAD))


def to_wad(value: float) -> int:
    """Float -> WAD integer, rounded to nearest (via the float's shortest decimal representation)."""
    return int((Decimal(repr(float(value))) * WAD).to_integral_value())


def from_quote(value: int) -> float:
    """Quote-token base units (6 decimals) -> quote currency."""
    return float(Decimal(int(value)) / Decimal(QUOTE_UNIT))


def to_quote(value: float) -> int:
    """Quote currency -> quote-token base units, rounded toward zero (never move more than asked)."""
    return int(Decimal(repr(float(value))) * QUOTE_UNIT)


def years_between(start_s: float, end_s: float) -> float:
    """Years from `start_s` to `end_s` (unix seconds), floored at zero."""
    return max(0.0, (end_s - start_s) / SECONDS_PER_YEAR)
