"""Gas-price strategy: EIP-1559 fees from the latest base fee, refreshed at most every `refresh_s` seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from hedgekeeper.keeper.rpc import JsonRpc, hex_int
from hedgekeeper.keeper.settings import Gas

GWEI = 10**9


@dataclass(frozen=True)
class Fees:
    max_fee_per_gas: int
    max_priority_fee_per_gas: int


class GasPricer:
    """max fee = base fee x multiplier + tip; the base fee is read from the latest block, cached."""

    def __init__(self, rpc: JsonRpc, gas: Gas, clock: Callable[[], float] = time.monotonic) -> None:
        self.rpc = rpc
        self.gas = gas
        self.clock = clock
        self._base_fee: int | None = None
        self._read_at = float("-inf")

    def base_fee(self) -> int:
        now = self.clock()
        if self._base_fee is None or now - self._read_at >= self.gas.refresh_s:
            block = self.rpc.request("eth_getBlockByNumber", ["latest", False])
            self._base_fee = hex_int(block.get("baseFeePerGas")) if block else 0
            self._read_at = now
        return self._base_fee

    def fees(self) -> Fees:
        tip = int(self.gas.priority_fee_gwei * GWEI)
        return Fees(max_fee_per_gas=int(self.base_fee() * self.gas.base_fee_multiplier) + tip, max_priority_fee_per_gas=tip)
