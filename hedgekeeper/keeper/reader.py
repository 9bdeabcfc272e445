"""The chain reader: one eth_call of pool.keeperSnapshot() per cycle, converted to a ChainSnapshot.

With the oracle duties on, two more eth_calls a cycle: oracle.realizedState() and the feed's
latestRoundData() (is there a round the oracle has not folded?). Liquidation candidates
(pool.liquidatableShorts, perp.liquidatableAccounts + accountSummary), the gas price and the perp's pending
deleveraging debt (perp.ledger(), then perp.deleverageCandidates when there is debt) are read only when those
duties are on, at most once per `liquidation.scan_interval_s` of chain time; the live expiries' surfaces
(market.activeBoards/board, oracle.oracleParams/surface) at most once per `surface.scan_interval_s`.
`invalidate()` forces the periodic reads at the next cycle (after the keeper itself changed what they show)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.rpc import JsonRpc, hex_int
from hedgekeeper.keeper.settings import KeeperSettings
from hedgekeeper.keeper.units import from_quote, from_wad, years_between
from hedgekeeper.oracle_surface import PostedSurface, SurfaceLimits
from hedgekeeper.strategy.observation import (
    ChainSnapshot,
    DeleverageCandidate,
    ExpirySurface,
    OracleView,
    PerpCandidate,
    PerpDebt,
    SurfaceBook,
)
from hedgekeeper.strategy.types import BookSnapshot

SNAPSHOT_FN = "keeperSnapshot"

# Chainlink's AggregatorV3 latestRoundData(), the only feed function the keeper reads.
FEED_ABI = [{
    "type": "function", "name": "latestRoundData", "stateMutability": "view", "inputs": [],
    "outputs": [{"name": "roundId", "type": "uint80"}, {"name": "answer", "type": "int256"},
                {"name": "startedAt", "type": "uint256"}, {"name": "updatedAt", "type": "uint256"},
                {"name": "answeredInRound", "type": "uint80"}],
}]


def snapshot_from_raw(raw: dict[str, int]) -> ChainSnapshot:
    """The KeeperSnapshot struct (field name -> on-chain integer) in natural units."""
    ts = float(raw["timestamp"])
    expiry = float(raw["nearestExpiry"])
    book = BookSnapshot(
        timestamp=ts,
        spot=from_wad(raw["spot"]),
        mark=from_wad(raw["markPrice"]),
        index=from_wad(raw["indexPrice"]),
        funding_rate_per_day=from_wad(raw["fundingRatePerDay"]),
        options_delta=from_wad(raw["optionsDelta"]),
        options_gamma=from_wad(raw["optionsGamma"]),
        options_vega=from_wad(raw["optionsVega"]),
        options_theta=from_wad(raw["optionsTheta"]),
        hedge_size=from_wad(raw["hedgeSize"]),
        time_to_expiry_years=years_between(ts, expiry) if expiry > 0 else 0.0,
        hedge_margin=from_quote(raw["hedgeMargin"]),
        hedge_equity=from_quote(raw["hedgeEquity"]),
        hedge_maintenance_margin=from_quote(raw["hedgeMaintenanceMargin"]),
        free_cash=from_quote(raw["freeCash"]),
    )
    return ChainSnapshot(
        book=book,
        greeks_updated_at=float(raw["greeksUpdatedAt"]),
        nearest_expiry=expiry,
        expired_unsettled_boards=int(raw["expiredUnsettledBoards"]),
    )


class ChainReader:
    """Reads the pool (and, for liquidations, the perp market) through raw JSON-RPC."""

    def __init__(self, rpc: JsonRpc, pool: ContractCodec, settings: KeeperSettings, perp: ContractCodec | None = None,
                 never_liquidate: tuple[str, ...] = (), oracle: ContractCodec | None = None,
                 market: ContractCodec | None = None) -> None:
        self.rpc = rpc
        # The pool's own hedge account (its margin is topped up instead) and the keeper's account.
        self._never = {pool.address.lower(), *(a.lower() for a in never_liquidate)}
        self.pool = pool
        self.perp = perp
        self.settings = settings
        self._fields = pool.output_fields(SNAPSHOT_FN)
        self._calldata = pool.encode(SNAPSHOT_FN)
        self._last_scan_ts = float("-inf")
        self._shorts: tuple[int, ...] = ()
        self._perps: tuple[PerpCandidate, ...] = ()
        self._gas_price = 0
        self.oracle = oracle
        self.market = market
        self._feed: ContractCodec | None = None
        self._last_surface_ts = float("-inf")
        self._surfaces: SurfaceBook | None = None
        self._last_debt_ts = float("-inf")
        self._debt: PerpDebt | None = None

    def invalidate(self) -> None:
        """Read surfaces, perp debt and liquidation candidates afresh at the next cycle."""
        self._last_scan_ts = self._last_surface_ts = self._last_debt_ts = float("-inf")

    def call(self, codec: ContractCodec, fn: str, *args: Any) -> tuple[Any, ...]:
        out = self.rpc.request("eth_call", [{"to": codec.address, "data": codec.encode(fn, *args)}, "latest"])
        return codec.decode(fn, out)

    def read_raw(self) -> dict[str, int]:
        """pool.keeperSnapshot() as field name -> integer: exactly one eth_call."""
        out = self.rpc.request("eth_call", [{"to": self.pool.address, "data": self._calldata}, "latest"])
        (values,) = self.pool.decode(SNAPSHOT_FN, out)
        return dict(zip(self._fields, (int(v) for v in values)))

    def read(self) -> ChainSnapshot:
        snap = snapshot_from_raw(self.read_raw())
        duties = self.settings.duties
        now = snap.timestamp
        extra: dict[str, Any] = {}
        if self.oracle is not None and (duties.oracle or duties.surface):
            extra["oracle"] = self.read_oracle()
        if duties.surface and self.oracle is not None and self.market is not None:
            if now - self._last_surface_ts >= self.settings.surface.scan_interval_s:
                self._surfaces = self.read_surfaces(now)
                self._last_surface_ts = now
            extra["surfaces"] = self._surfaces
        if duties.deleverage and self.perp is not None:
            if now - self._last_debt_ts >= self.settings.liquidation.scan_interval_s:
                self._debt = self.read_perp_debt()
                self._last_debt_ts = now
            extra["perp_debt"] = self._debt
        if duties.liquidate_shorts or duties.liquidate_perps:
            if now - self._last_scan_ts >= self.settings.liquidation.scan_interval_s:
                self._scan()
                self._last_scan_ts = now
            extra.update(liquidatable_shorts=self._shorts, liquidatable_perps=self._perps, gas_price_wei=self._gas_price)
        return replace(snap, **extra) if extra else snap

    def read_oracle(self) -> OracleView:
        """oracle.realizedState() and feed.latestRoundData(): two eth_calls (the feed address is read once)."""
        assert self.oracle is not None
        if self._feed is None:
            (feed,) = self.call(self.oracle, "feed")
            self._feed = ContractCodec("feed", str(feed), FEED_ABI)
        _price, observed_at, vol, _block = self.call(self.oracle, "realizedState")
        _round, _answer, _started, updated_at, _answered = self.call(self._feed, "latestRoundData")
        return OracleView(feed_updated_at=int(updated_at), folded_at=int(observed_at), realized_vol=from_wad(vol))

    def read_surfaces(self, now: float) -> SurfaceBook:
        """The oracle's posting limits and the last post of every unsettled board's expiry still in the future."""
        assert self.oracle is not None and self.market is not None
        (params,) = self.call(self.oracle, "oracleParams")
        named = dict(zip(self.oracle.output_fields("oracleParams"), (int(v) for v in params)))
        (board_ids,) = self.call(self.market, "activeBoards")
        expiries: set[int] = set()
        for board_id in board_ids:
            (board,) = self.call(self.market, "board", int(board_id))
            expiry = int(board[0])
            if expiry > now:
                expiries.add(expiry)
        items = []
        for expiry in sorted(expiries):
            (view,) = self.call(self.oracle, "surface", expiry)
            items.append(ExpirySurface(expiry, PostedSurface(atm_vol=int(view[0]), skew=int(view[1]), posted_at=int(view[2]))))
        return SurfaceBook(limits=SurfaceLimits.from_params(named), max_surface_age=named["maxSurfaceAge"], expiries=tuple(items))

    def read_perp_debt(self) -> PerpDebt:
        """perp.ledger(); with pending debt, every account's deleveraging candidacy (pages of `scan_count`)."""
        assert self.perp is not None
        (ledger,) = self.call(self.perp, "ledger")
        named = dict(zip(self.perp.output_fields("ledger"), (int(v) for v in ledger)))
        debt = PerpDebt(pending_longs=named["pendingDebtLongs"], pending_shorts=named["pendingDebtShorts"],
                        insurance_fund=named["insuranceFund"])
        if debt.pending_longs == 0 and debt.pending_shorts == 0:
            return debt
        (count,) = self.call(self.perp, "accountCount")
        page = self.settings.liquidation.scan_count
        cands: list[DeleverageCandidate] = []
        for start in range(0, int(count), page):
            accounts, sizes, scores = self.call(self.perp, "deleverageCandidates", start, page)
            cands.extend(DeleverageCandidate(str(a), int(z), int(c)) for a, z, c in zip(accounts, sizes, scores))
        return replace(debt, candidates=tuple(cands))

    def _scan(self) -> None:
        liq = self.settings.liquidation
        self._gas_price = hex_int(self.rpc.request("eth_gasPrice", []))
        if self.settings.duties.liquidate_shorts and self.pool.has("liquidatableShorts"):
            (ids,) = self.call(self.pool, "liquidatableShorts", 0, liq.scan_count)
            self._shorts = tuple(int(i) for i in ids)
        if self.settings.duties.liquidate_perps and self.perp is not None:
            (accounts,) = self.call(self.perp, "liquidatableAccounts", 0, liq.scan_count)
            cands = []
            for acct in accounts:
                if str(acct).lower() in self._never:
                    continue
                _size, _margin, _equity, maintenance = self.call(self.perp, "accountSummary", acct)
                cands.append(PerpCandidate(account=str(acct), estimated_reward=liq.perp_reward_fraction * from_quote(maintenance)))
            self._perps = tuple(cands)
