"""Gas of the options pool: open and close a position (whole transactions, 21,000 base included) with one
listed strike and with 120 (4 boards x 30 strikes, open interest on many of them): long and short (with its
margin check) opens, partial closes and full closes; listing a 30-strike board. With one strike the put
trades are the first ever on that strike's put side (listing already created its open-interest slot)."""

from __future__ import annotations

from typing import Any

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS
from hedgekeeper.pool_setup import QUOTE, WAD, deploy_oracle, deploy_pool, default_strikes, post_flat_surfaces, seed_pool

DAY = 86_400
SPOT = 2_000 * WAD
MAX = 2**256 - 1


def _setup(project: Any, deployer: Any, trader: Any) -> tuple[Any, Any, Any]:
    quote = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    oracle = deploy_oracle(project, deployer, feed)
    perp = deployer.deploy(project.PerpMarket, quote, feed, DEFAULT_PERP_PARAMETERS.as_tuple(), deployer)
    c = deploy_pool(project, deployer, quote, oracle, perp)
    quote.mint(trader, 10**9 * QUOTE, sender=deployer)
    quote.approve(c.pool, MAX, sender=trader)
    return quote, c.pool, c.market, oracle


def _round_trip(market: Any, trader: Any, strike_id: int, deadline: int) -> tuple[int, int]:
    tx = market.openPosition(strike_id, True, True, WAD, 0, MAX, deadline, sender=trader)
    pid = tx.decode_logs(market.PositionOpened)[0].positionId
    close = market.closePosition(pid, WAD, 0, deadline, sender=trader)
    return int(tx.gas_used), int(close.gas_used)


def _cycles(market: Any, trader: Any, strike_id: int, deadline: int, tag: str) -> dict[str, int]:
    """Open 2 units long and short (puts, the short with its margin check), close half, then the rest."""
    out: dict[str, int] = {}
    for side, is_long in (("long", True), ("short", False)):
        collateral, open_limit, close_limit = (0, MAX, 0) if is_long else (2_000 * QUOTE, 0, MAX)
        tx = market.openPosition(strike_id, False, is_long, 2 * WAD, collateral, open_limit, deadline, sender=trader)
        pid = tx.decode_logs(market.PositionOpened)[0].positionId
        half = market.closePosition(pid, WAD, close_limit, deadline, sender=trader)
        rest = market.closePosition(pid, WAD, close_limit, deadline, sender=trader)
        out[f"pool.open_{side}_put.{tag}.tx"] = int(tx.gas_used)
        out[f"pool.partial_close_{side}_put.{tag}.tx"] = int(half.gas_used)
        out[f"pool.close_{side}_put.{tag}.tx"] = int(rest.gas_used)
    return out


def measure(project: Any, accounts: Any) -> dict[str, int]:
    from ape import chain

    deployer, trader = accounts[0], accounts[3]
    out: dict[str, int] = {}

    quote, pool, market, oracle = _setup(project, deployer, trader)
    now = chain.pending_timestamp
    market.addBoard(now + 30 * DAY, [SPOT], sender=deployer)
    post_flat_surfaces(oracle, deployer, [now + 30 * DAY])
    seed_pool(type("C", (), {"pool": pool, "market": market})(), quote, deployer, 10_000_000 * QUOTE, 0)
    market.openPosition(0, True, True, WAD, 0, MAX, now + 3_600, sender=trader)  # warm the strike
    out["pool.open_long.1_strike.tx"], out["pool.close_long.1_strike.tx"] = _round_trip(market, trader, 0, now + 3_600)
    out.update(_cycles(market, trader, 0, now + 3_600, "1_strike"))

    quote, pool, market, oracle = _setup(project, deployer, trader)
    now = chain.pending_timestamp
    strikes = default_strikes(SPOT, 30, 0.02)
    board = market.addBoard(now + 7 * DAY, strikes, sender=deployer)
    out["pool.add_board.30_strikes.tx"] = int(board.gas_used)
    for weeks in (2, 4, 8):
        market.addBoard(now + weeks * 7 * DAY, strikes, sender=deployer)
    post_flat_surfaces(oracle, deployer, [now + w * 7 * DAY for w in (1, 2, 4, 8)])
    seed_pool(type("C", (), {"pool": pool, "market": market})(), quote, deployer, 10_000_000 * QUOTE, 0)
    for sid in range(0, 120, 3):
        market.openPosition(sid, sid % 2 == 0, True, WAD, 0, MAX, now + 3_600, sender=trader)
    atm = 15 + 30  # ATM strike of the second board
    market.openPosition(atm, True, True, WAD, 0, MAX, now + 3_600, sender=trader)  # warm the strike, as above
    pool.refreshGreeks(sender=deployer)
    out["pool.open_long.120_strikes.tx"], out["pool.close_long.120_strikes.tx"] = _round_trip(
        market, trader, atm, now + 3_600
    )
    short = market.openPosition(atm, False, False, WAD, 1_000 * QUOTE, 0, now + 3_600, sender=trader)
    out["pool.open_short.120_strikes.tx"] = int(short.gas_used)
    out.update(_cycles(market, trader, atm, now + 3_600, "120_strikes"))
    refresh = pool.refreshGreeks(sender=deployer)
    out["pool.refresh_greeks.40_open_strikes.tx"] = int(refresh.gas_used)
    return out
