"""Parameters of the perp market (PerpMarket.MarketParameters) for a local ETH-like market at 2000 USD."""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, replace

WAD = 10**18


@dataclass(frozen=True)
class PerpParameters:
    """Field order matches the Solidity struct. Ratios WAD; sizes WAD units of underlying."""

    skew_scale: int = 40_000 * WAD  # a 100 ETH trade moves the mark by 0.25%
    max_open_interest: int = 20_000 * WAD
    taker_fee_ratio: int = 5 * 10**14  # 5 bp on the part that increases |skew|
    maker_fee_ratio: int = 2 * 10**14  # 2 bp on the part that reduces it
    initial_margin_ratio: int = 10 * 10**16  # 10%
    maintenance_margin_ratio: int = 625 * 10**14  # 6.25%
    max_funding_rate_per_day: int = 10**16  # 1% a day
    max_oracle_age: int = 3_600  # seconds
    liquidation_reward_ratio: int = 5 * 10**15  # 0.5% of the liquidated notional to the liquidator
    liquidation_penalty_ratio: int = 75 * 10**14  # 0.75% to the insurance fund
    min_partial_liquidation_notional: int = 10_000 * WAD  # quote (WAD): smaller positions close fully

    def as_tuple(self) -> tuple[int, ...]:
        return astuple(self)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def with_(self, **changes: int) -> "PerpParameters":
        return replace(self, **changes)


DEFAULT_PERP_PARAMETERS = PerpParameters()
# Insurance fund seeded at deployment, quote units (6 decimals).
INSURANCE_SEED = 1_000_000 * 10**6
