"""The simulated market participants. Each agent owns a numpy Generator seeded from the run's seed and acts
once per step through the shared `TxSender`, in a fixed order, so the same seed gives the same transactions.

Units: floats in natural units (quote per unit, units of underlying, quote); on-chain integers are made
with hedgekeeper.keeper.units (WAD prices and sizes, 6-decimal quote money)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from eth_account.signers.local import LocalAccount

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.units import from_quote, from_wad, to_quote, to_wad
from hedgekeeper.model import black_scholes as bs
from hedgekeeper.sim.protocol import Board
from hedgekeeper.sim.sender import TxSender

SECONDS_PER_YEAR = 365.0 * 86_400.0
LOT = 10**9  # option sizes are whole multiples of 1e-9 units
MAX_UINT = 2**256 - 1


@dataclass
class World:
    """Handles and the state of the current step that agents read."""

    sender: TxSender
    quote: ContractCodec
    feed: ContractCodec
    oracle: ContractCodec
    pool: ContractCodec
    market: ContractCodec
    perp: ContractCodec
    boards: list[Board]
    now: int = 0  # timestamp of the step's first block
    spot: float = 0.0
    implied_vol: float = 0.0
    opened_topic: str = ""  # topic 0 of OptionMarket.PositionOpened
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def board_of(self, strike_id: int) -> Board | None:
        return next((b for b in self.boards if b.holds(strike_id)), None)


def _opened_id(world: World, logs: list[dict[str, Any]]) -> int | None:
    for log in logs:
        if str(log["address"]).lower() == world.market.address.lower() and str(log["topics"][0]).lower() == world.opened_topic:
            return int(str(log["topics"][1]), 16)
    return None


@dataclass
class OptionTrader:
    """Buys and sells calls and puts across strikes and expiries with premium limits and deadlines, closes
    some positions later. `thin_margin` traders withdraw their short collateral down to the initial margin,
    so a price move against them makes them liquidatable."""

    account: LocalAccount
    rng: np.random.Generator
    trades_per_step: float = 0.6
    buy_probability: float = 0.65
    close_probability: float = 0.2
    thin_margin: bool = False
    positions: list[tuple[int, bool, float]] = field(default_factory=list)  # (id, is_long, size)

    def act(self, w: World) -> None:
        for _ in range(int(self.rng.poisson(self.trades_per_step))):
            if self.positions and self.rng.random() < self.close_probability:
                self._close(w, int(self.rng.integers(len(self.positions))))
            else:
                self._open(w)

    def _estimate(self, w: World, expiry: int, strike: float, call: bool) -> float:
        tau = max(expiry - w.now, 1) / SECONDS_PER_YEAR
        return float(bs.price(w.spot, strike, tau, w.implied_vol, call=call))

    def _open(self, w: World) -> None:
        boards = [b for b in w.boards if b.expiry > w.now + 86_400]
        if not boards:
            return
        board = boards[int(self.rng.integers(len(boards)))]
        n = len(board.strikes)
        centre = int(np.argmin([abs(k - w.spot) for k in board.strikes]))
        offset = int(np.clip(np.round(self.rng.normal(0.0, 1.5)), -(n - 1), n - 1))
        k_idx = int(np.clip(centre + offset, 0, n - 1))
        strike = board.strikes[k_idx]
        call = bool(self.rng.random() < 0.5)
        long = bool(self.rng.random() < self.buy_probability)
        size = float(self.rng.integers(1, 11)) * 0.5
        unit = self._estimate(w, board.expiry, strike, call)
        notional = w.spot * size
        deadline = w.now + 600
        sid = board.first_strike_id + k_idx
        if long:
            limit = to_quote(1.2 * unit * size + 0.02 * notional)
            r = w.sender.send(self.account, w.market, "openPosition", sid, call, True, to_wad(size), 0, limit, deadline, label="option_buy")
        else:
            floor_ = to_quote(max(0.0, 0.8 * unit * size - 0.02 * notional))
            collateral = to_quote((0.9 * w.spot if call else 0.9 * strike) * size)
            r = w.sender.send(self.account, w.market, "openPosition", sid, call, False, to_wad(size), collateral, floor_, deadline,
                              label="option_sell")
        if not r.ok:
            w.count("option_open_reverted")
            return
        pid = _opened_id(w, r.logs)
        if pid is None:
            return
        self.positions.append((pid, long, size))
        w.count("option_opened")
        if not long and self.thin_margin:
            (maint,) = w.sender.call(w.market, "maintenanceMargin", pid)
            required = math.ceil(int(maint) * 1.2 * 1.01) + 1
            collateral = to_quote((0.9 * w.spot if call else 0.9 * strike) * size)
            if collateral > required:
                w.sender.send(self.account, w.market, "removeCollateral", pid, collateral - required, label="remove_collateral")

    def _close(self, w: World, i: int) -> None:
        pid, long, size = self.positions.pop(i)
        (pos,) = w.sender.call(w.market, "position", pid)
        open_size = int(pos[4])
        if open_size == 0:
            return  # liquidated or settled meanwhile
        board = w.board_of(int(pos[1]))
        if board is None or board.expiry <= w.now + 600:
            return
        unit = self._estimate(w, board.expiry, board.strikes[int(pos[1]) - board.first_strike_id], bool(pos[2]))
        sz = from_wad(open_size)
        notional = w.spot * sz
        if long:
            limit = to_quote(max(0.0, 0.8 * unit * sz - 0.02 * notional))
        else:
            limit = to_quote(1.2 * unit * sz + 0.02 * notional)
        r = w.sender.send(self.account, w.market, "closePosition", pid, open_size, limit, w.now + 600, label="option_close")
        w.count("option_closed" if r.ok else "option_close_reverted")


@dataclass
class PerpTrader:
    """A leveraged directional perp trader: opens positions of 0.8 to 1 times `max_leverage` times its equity and re-enters after being
    liquidated, so liquidations happen when the price moves against it."""

    account: LocalAccount
    rng: np.random.Generator
    margin: float = 20_000.0
    trade_probability: float = 0.03  # per step, holding a position
    entry_probability: float = 0.5  # per step, when flat
    max_leverage: float = 9.8

    def act(self, w: World) -> None:
        size, margin, equity, _maint = w.sender.call(w.perp, "accountSummary", self.account.address)
        size_f, equity_f = from_wad(int(size)), from_quote(int(equity))
        if size_f == 0 and from_quote(int(margin)) < 0.5 * self.margin:
            w.sender.send(self.account, w.perp, "deposit", to_quote(self.margin), label="perp_deposit")
            equity_f += self.margin
        chance = self.trade_probability if size_f != 0 else self.entry_probability
        if self.rng.random() >= chance or equity_f <= 0:
            return
        (mark,) = w.sender.call(w.perp, "markPrice")
        mark_f = from_wad(int(mark))
        if self.rng.random() < 0.5 and size_f != 0:
            target = 0.0
        else:
            leverage = float(self.rng.uniform(0.8 * self.max_leverage, self.max_leverage))
            target = float(self.rng.choice([-1.0, 1.0])) * leverage * equity_f / mark_f
        delta = round(target - size_f, 6)
        if abs(delta) < 1e-3:
            return
        limit = mark_f * (1.02 if delta > 0 else 0.98)
        r = w.sender.send(self.account, w.perp, "trade", to_wad(delta), to_wad(limit), w.now + 600, label="perp_trade")
        w.count("perp_trades" if r.ok else "perp_trade_reverted")


@dataclass
class Arbitrageur:
    """Pulls the perp mark toward the index: trades `fraction` of the skew against it when the mark is more
    than `threshold` (relative) away from the index."""

    account: LocalAccount
    fraction: float = 0.6
    threshold: float = 2e-4

    def act(self, w: World) -> None:
        ((mark,), (index,), (skew,)), _ = w.sender.call_many([(w.perp, "markPrice", ()), (w.perp, "indexPrice", ()), (w.perp, "skew", ())])
        gap = int(mark) / int(index) - 1.0
        if abs(gap) <= self.threshold:
            return
        delta = round(-self.fraction * from_wad(int(skew)), 6)
        if delta == 0:
            return
        limit = from_wad(int(index)) * (1.01 if delta > 0 else 0.99)
        r = w.sender.send(self.account, w.perp, "trade", to_wad(delta), to_wad(limit), w.now + 600, label="arbitrage")
        w.count("arbitrage_trades" if r.ok else "arbitrage_reverted")


@dataclass
class LiquidityProvider:
    """Deposits into the pool at the start, then now and then adds more or redeems part of its shares
    (after the pool's minimum holding period)."""

    account: LocalAccount
    rng: np.random.Generator
    initial: float = 250_000.0
    act_probability: float = 0.05
    min_age_s: int = 86_400
    last_deposit: int = -(10**12)

    def act(self, w: World) -> None:
        if self.last_deposit < -(10**11):
            self._deposit(w, self.initial)
            return
        if self.rng.random() >= self.act_probability:
            return
        if self.rng.random() < 0.5:
            self._deposit(w, float(self.rng.uniform(10_000.0, 100_000.0)))
        elif w.now - self.last_deposit > self.min_age_s:
            (shares,) = w.sender.call(w.pool, "balanceOf", self.account.address)
            part = int(int(shares) * float(self.rng.uniform(0.1, 0.3)))
            if part > 0:
                r = w.sender.send(self.account, w.pool, "redeem", part, self.account.address, self.account.address, label="lp_redeem")
                w.count("lp_redeems" if r.ok else "lp_redeem_reverted")

    def _deposit(self, w: World, amount: float) -> None:
        r = w.sender.send(self.account, w.pool, "deposit", to_quote(amount), self.account.address, label="lp_deposit")
        if r.ok:
            self.last_deposit = w.now
        w.count("lp_deposits" if r.ok else "lp_deposit_reverted")


@dataclass
class Liquidator:
    """Liquidates perp accounts below maintenance and short option positions below maintenance."""

    account: LocalAccount
    scan: int = 500

    def act(self, w: World) -> None:
        # perp liquidations do not open or close option positions: both counts are read at once
        ((accounts,), (n,)), _ = w.sender.call_many([(w.perp, "liquidatableAccounts", (0, self.scan)), (w.market, "numPositions", ())])
        for acct in accounts:
            r = w.sender.send(self.account, w.perp, "liquidate", acct, label="perp_liquidate")
            w.count("perp_liquidations" if r.ok else "perp_liquidation_reverted")
        if int(n) == 0:
            return
        (ids,) = w.sender.call(w.pool, "liquidatableShorts", 0, int(n))
        for pid in ids:
            r = w.sender.send(self.account, w.pool, "liquidateShort", int(pid), label="short_liquidate")
            w.count("short_liquidations" if r.ok else "short_liquidation_reverted")


def fund(w: World, minter: LocalAccount, accounts: list[LocalAccount], amount: float, spenders: list[ContractCodec]) -> None:
    """Mint `amount` quote to each account and approve every spender for it (unlimited)."""
    for acct in accounts:
        w.sender.send(minter, w.quote, "mint", acct.address, to_quote(amount), label="fund")
        for sp in spenders:
            w.sender.send(acct, w.quote, "approve", sp.address, MAX_UINT, label="approve")
