"""Independent integer reference of the perp market's documented formulas (IPerpMarketTypes NatSpec),
written from the specification with Python's exact integers."""

from __future__ import annotations

WAD = 10**18
SCALE = 10**30  # 10**(36 - 6): size (WAD) * price (WAD) -> quote units (6 decimals)
DAY = 86_400


def usd(x: float) -> int:
    """Quote-token units (6 decimals)."""
    return int(round(x * 10**6))


def trunc_div(a: int, b: int) -> int:
    """Integer division truncated toward zero (Solidity's signed division)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def floor_div(a: int, b: int) -> int:
    return a // b


def ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def mark(index: int, skew: int, skew_scale: int) -> int:
    return index * (skew_scale + skew) // skew_scale


def fill(index: int, skew: int, size: int, skew_scale: int) -> int:
    num = index * (2 * skew_scale + 2 * skew + size)
    return ceil_div(num, 2 * skew_scale) if size > 0 else num // (2 * skew_scale)


def fee(skew: int, size: int, price: int, taker: int, maker: int) -> int:
    reducing = min(abs(size), abs(skew)) if (skew > 0 > size or skew < 0 < size) else 0
    weighted = reducing * maker + (abs(size) - reducing) * taker
    return ceil_div(weighted * price, SCALE * WAD)


def funding_rate(skew: int, skew_scale: int, cap: int) -> int:
    return max(-cap, min(cap, trunc_div(skew * WAD, skew_scale)))


def funding_index_delta(rate: int, index: int, elapsed: int) -> int:
    return trunc_div(rate * index * elapsed, WAD * DAY)


def pnl(size: int, price: int, last_price: int) -> int:
    return floor_div(size * (price - last_price), SCALE)


def funding_owed(size: int, index_now: int, index_then: int) -> int:
    return ceil_div(size * (index_now - index_then), SCALE)


def requirement(size: int, price: int, ratio: int) -> int:
    return ceil_div(abs(size) * price * ratio, SCALE * WAD)
