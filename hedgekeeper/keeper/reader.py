"""The chain reader: one eth_call of pool.keeperSnapshot() per cycle, converted to a ChainSnapshot.

Liquidation candidates (pool.liquidatableShorts, perp.liquidatableAccounts + accountSummary) and the gas
price are read only when those duties are on, at most once per `liquidation.scan_interval_s` of chain time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.rpc import JsonRpc, hex_int
from hedgekeeper.keeper.settings import KeeperSettings
from hedgekeeper.keeper.units import from_quote, from_wad, years_between
from hedgekeeper.strategy.observation import ChainSnapshot, PerpCandidate
from hedgekeeper.strategy.types import BookSnapshot

SNAPSHOT_FN = "keeperSnapshot"


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
                 never_liquidate: tuple[str, ...] = ()) -> None:
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
        if not (duties.liquidate_shorts or duties.liquidate_perps):
            return snap
        if snap.timestamp - self._last_scan_ts >= self.settings.liquidation.scan_interval_s:
            self._scan()
            self._last_scan_ts = snap.timestamp
        return replace(snap, liquidatable_shorts=self._shorts, liquidatable_perps=self._perps, gas_price_wei=self._gas_price)

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
