"""Deploy and configure the options pool (OptionsPool vault + OptionMarket book) with Ape.

Used by `deploy_protocol`, the pool tests and the gas benchmark, so that all three run the same
parameters. Units follow the contracts: WAD (1e18) for rates, prices and sizes; quote-token units
(6 decimals) for money; seconds for times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WAD = 10**18
QUOTE = 10**6

POOL_PARAMS = (
    int(0.003 * WAD),  # withdrawalFeeRate
    86_400,  # minDepositAge
    900,  # navMaxAge
    100 * WAD,  # hedgeSizeCap
    1 * WAD,  # hedgeTolerance
    2 * WAD,  # hedgeMarginBuffer (above the perp's initial margin / maintenance = 1.6)
    50 * WAD,  # deltaBreachLimit
    3_600,  # maxBreachDuration
)

FEE_PARAMS = (
    int(0.0005 * WAD),  # baseFeeRate (per unit notional)
    int(0.0002 * WAD),  # minFeeRate
    int(0.001 * WAD),  # hedgeCostRate k
    3_600,  # hedgeInterval (seconds)
    int(0.005 * WAD),  # vegaFeeRate (half a vol point)
)

MARKET_PARAMS = (
    3_600,  # greeksMaxAge
    int(0.25 * WAD),  # maxVolDeviation
    200 * WAD,  # deltaCap
    1 * WAD,  # gammaCap
    100_000 * WAD,  # vegaCap
    int(1.2 * WAD),  # initialMarginFactor
    int(0.7 * WAD),  # spotShockDown
    int(1.3 * WAD),  # spotShockUp
    int(1.5 * WAD),  # volShockUp
    int(0.05 * WAD),  # minMarginRate
    int(0.1 * WAD),  # liquidationPenaltyRate
    int(0.5 * WAD),  # liquidatorShare
    int(0.25 * WAD),  # insuranceShare
    0,  # riskFreeRate
)


DEFAULT_ATM_VOL = 8 * 10**17


def deploy_oracle(project: Any, deployer: Any, feed: Any) -> Any:
    """Deploy the volatility oracle on `feed` (local parameters) with `deployer` as surface keeper."""
    from hedgekeeper.deploy_oracle import deploy_volatility_oracle

    return deploy_volatility_oracle(project, deployer, feed, surface_keeper=deployer)


def post_flat_surfaces(oracle: Any, deployer: Any, expiries: list[int], atm_vol: int = DEFAULT_ATM_VOL) -> None:
    """Post a flat surface (no skew) at `atm_vol` for every expiry."""
    oracle.postSurfaces([(e, atm_vol, 0) for e in expiries], sender=deployer)


@dataclass(frozen=True)
class PoolContracts:
    pool: Any
    market: Any


def default_strikes(spot: int, count: int, step_fraction: float = 0.05) -> list[int]:
    """`count` strikes (WAD) centred on `spot` (WAD), `step_fraction` of spot apart, rounded to whole units."""
    step = int(spot * step_fraction) // WAD * WAD or WAD
    centre = spot // WAD * WAD
    first = centre - step * (count // 2)
    return [first + i * step for i in range(count) if first + i * step > 0]


def deploy_pool(project: Any, deployer: Any, quote: Any, oracle: Any, perp: Any) -> PoolContracts:
    """Deploy the pool and its market, wire them together and set the default parameters."""
    pool = deployer.deploy(project.OptionsPool, quote, oracle, perp, deployer)
    market = deployer.deploy(project.OptionMarket, oracle, pool, quote.decimals())
    pool.setMarket(market, sender=deployer)
    pool.setPoolParams(POOL_PARAMS, sender=deployer)
    pool.setFeeParams(FEE_PARAMS, sender=deployer)
    pool.setMarketParams(MARKET_PARAMS, sender=deployer)
    return PoolContracts(pool=pool, market=market)


def seed_pool(contracts: PoolContracts, quote: Any, deployer: Any, lp_amount: int, hedge_margin: int) -> None:
    """Mint `lp_amount` quote units to `deployer`, deposit them as LP capital and move `hedge_margin` of
    them to the pool's perp account."""
    quote.mint(deployer, lp_amount, sender=deployer)
    quote.approve(contracts.pool, lp_amount, sender=deployer)
    contracts.pool.refreshGreeks(sender=deployer)
    contracts.pool.deposit(lp_amount, deployer, sender=deployer)
    if hedge_margin:
        contracts.pool.adjustHedgeMargin(hedge_margin, sender=deployer)
