"""Actions -> contract calls (address + calldata), with every float -> integer conversion via units."""

from __future__ import annotations

from dataclasses import dataclass

from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.errors import ExecutionError
from hedgekeeper.keeper.units import to_quote, to_wad
from hedgekeeper.strategy.actions import (
    Action,
    AdjustMargin,
    Deleverage,
    HedgeTrade,
    LiquidatePerp,
    LiquidateShort,
    PostSurfaces,
    RefreshGreeks,
    SettleExpiry,
    UpdateOracle,
)


@dataclass(frozen=True)
class ContractCall:
    codec: ContractCodec
    function: str
    data: str

    @property
    def to(self) -> str:
        return self.codec.address


class ActionEncoder:
    def __init__(self, pool: ContractCodec, oracle: ContractCodec | None = None, perp: ContractCodec | None = None) -> None:
        self.pool = pool
        self.oracle = oracle
        self.perp = perp

    def _call(self, codec: ContractCodec | None, what: str, fn: str, *args: object) -> ContractCall:
        if codec is None:
            raise ExecutionError(f"cannot {fn}(): the deployment has no {what} contract")
        return ContractCall(codec=codec, function=fn, data=codec.encode(fn, *args))

    def encode(self, action: Action) -> ContractCall:
        if isinstance(action, HedgeTrade):
            return self._call(self.pool, "pool", "hedge", to_wad(action.size_delta), to_wad(action.limit_price), int(action.deadline))
        if isinstance(action, AdjustMargin):
            return self._call(self.pool, "pool", "adjustHedgeMargin", to_quote(action.amount))
        if isinstance(action, RefreshGreeks):
            return self._call(self.pool, "pool", "refreshGreeks")
        if isinstance(action, SettleExpiry):
            return self._call(self.pool, "pool", "settleExpiry", int(action.expiry))
        if isinstance(action, LiquidateShort):
            return self._call(self.pool, "pool", "liquidateShort", int(action.position_id))
        if isinstance(action, UpdateOracle):
            return self._call(self.oracle, "volatility oracle", "update")
        if isinstance(action, PostSurfaces):
            posts = [(int(e), int(atm), int(skew)) for e, atm, skew in action.posts]
            return self._call(self.oracle, "volatility oracle", "postSurfaces", posts)
        if isinstance(action, Deleverage):
            return self._call(self.perp, "perp market", "deleverage", list(action.targets))
        if isinstance(action, LiquidatePerp):
            return self._call(self.perp, "perp market", "liquidate", action.account)
        raise ExecutionError(f"unknown action {action!r}")
