"""Liquidation cascade on a thin perp market (py-evm): a 10% gap down, then liquidations one after another,
each selling at the moved mark; when a shortfall exceeds the insurance fund, a keeper deleverages the
pending debt at once against the shorts in rank order. Reports how far the forced flow pushed the mark
below the index, how the losses were absorbed (insurance fund, deleveraging haircuts, still pending),
the gas of every liquidation and deleveraging, and whether the ledger balanced after every step."""

from __future__ import annotations

from typing import Any

from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS

WAD = 10**18
USD = 10**6
DEADLINE = 2**63
ANY_PRICE = 2**200
# 100 ETH moves the mark by 2.5%; every liquidation is full
PARAMS = DEFAULT_PERP_PARAMETERS.with_(
    skew_scale=4_000 * WAD, max_open_interest=3_000 * WAD, min_partial_liquidation_notional=10**30
)
GAP_PRICE_USD = 1_800
LONG_MARGINS_USD = [14_200, 14_300, 22_500, 23_500, 25_000, 27_000, 30_000]


def _ledger_balances(token: Any, market: Any) -> bool:
    margins = sum(market.positionOf(market.accountAt(i))[1] for i in range(market.accountCount()))
    led = market.ledger()
    pending = led.pendingDebtLongs + led.pendingDebtShorts
    return int(token.balanceOf(market)) == margins + led.feePool + led.insuranceFund + led.marketPnl - pending


def _ranked(market: Any, side: int) -> list[str]:
    """Profitable accounts on `side` (-1 shorts, +1 longs), best deleveraging rank first."""
    found, sizes, scores = market.deleverageCandidates(0, market.accountCount())
    picked = [(int(sc), str(a)) for a, sz, sc in zip(found, sizes, scores) if (sz < 0) == (side < 0)]
    return [a for _, a in sorted(picked, reverse=True)]


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    deployer = accounts[0]
    shorts, longs = [accounts[1], accounts[2]], [accounts[i] for i in range(3, 10)]
    token = deployer.deploy(project.MockStablecoin)
    feed = deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)
    market = deployer.deploy(project.PerpMarket, token, feed, PARAMS.as_tuple(), deployer)
    for who in [deployer, *shorts, *longs]:
        token.mint(who, 10**13, sender=deployer)
        token.approve(market, 2**256 - 1, sender=who)
    market.deposit(400_000 * USD, sender=shorts[0])
    market.deposit(150_000 * USD, sender=shorts[1])
    for i, (who, margin) in enumerate(zip(longs, LONG_MARGINS_USD)):
        market.trade(-70 * WAD, 0, DEADLINE, sender=shorts[i % 2])
        market.deposit(margin * USD, sender=who)
        market.trade(70 * WAD, ANY_PRICE, DEADLINE, sender=who)
    market.fundInsurance(200 * USD, sender=deployer)
    index_before = int(market.indexPrice())
    feed.setAnswer(GAP_PRICE_USD * 10**8, sender=deployer)
    index = int(market.indexPrice())
    mark_after_gap = int(market.markPrice())
    initially = len(market.liquidatableAccounts(0, 100))
    gas: list[int] = []
    deleverage_gas: list[int] = []
    balanced = True
    while due := market.liquidatableAccounts(0, 100):
        tx = market.liquidate(due[0], sender=deployer)
        gas.append(int(tx.gas_used))
        balanced = balanced and _ledger_balances(token, market)
        if tx.events.filter(market.DeleverageDebtRecorded):
            deleverage_gas.append(int(market.deleverage(_ranked(market, -1), sender=deployer).gas_used))
            balanced = balanced and _ledger_balances(token, market)
    mark_end = int(market.markPrice())
    led = market.ledger()
    return {
        "skew_scale_eth": PARAMS.skew_scale // WAD,
        "gap_pct": round((index - index_before) / index_before * 100, 3),
        "liquidations": len(gas),
        "liquidatable_right_after_gap": initially,
        "mark_after_gap": mark_after_gap / WAD,
        "mark_after_cascade": mark_end / WAD,
        "mark_below_index_after_cascade_pct": round((mark_end - index) / index * 100, 3),
        "insurance_covered_usd": led.cumulativeBadDebtCovered / USD,
        "debt_beyond_insurance_usd": led.cumulativeDebtRecorded / USD,
        "adl_size_eth": led.cumulativeAdlSize / WAD,
        "adl_haircuts_usd": led.cumulativeAdlLoss / USD,
        "debt_pending_usd": (led.pendingDebtLongs + led.pendingDebtShorts) / USD,
        "ledger_balanced_after_every_step": balanced,
        "liquidation_gas": gas,
        "deleverage_gas": deleverage_gas,
    }
