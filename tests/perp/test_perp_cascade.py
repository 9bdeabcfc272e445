"""A price gap starts a liquidation cascade: every liquidation sells at the moved mark, which pushes the next
account under maintenance margin. Losses beyond margin go first to the insurance fund, the rest becomes
pending deleveraging debt that `deleverage` then recovers from the most profitable shorts; the ledger is
conserved after every step."""

from __future__ import annotations

from perp_helpers import assert_conserved, deploy_market, set_price
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS
from perp_reference import WAD, usd

DEADLINE = 2**63
ANY = 2**200
# A thin market: 100 ETH moves the mark by 2.5%.
PARAMS = DEFAULT_PERP_PARAMETERS.with_(skew_scale=4_000 * WAD, max_open_interest=3_000 * WAD,
                                        min_partial_liquidation_notional=10**30)


def test_gap_down_liquidation_cascade(project, accounts, deployer):
    traders = [accounts[i] for i in range(1, 10)]
    token, feed, market = deploy_market(project, deployer, traders, PARAMS, fund=usd(10_000_000))
    shorts, longs = traders[:2], traders[2:]
    market.deposit(usd(400_000), sender=shorts[0])
    market.deposit(usd(150_000), sender=shorts[1])
    margins = [14_200, 14_300, 22_500, 23_500, 25_000, 27_000, 30_000]
    for i, (who, m) in enumerate(zip(longs, margins)):
        market.trade(-70 * WAD, 0, DEADLINE, sender=shorts[i % 2])
        market.deposit(usd(m), sender=who)
        market.trade(70 * WAD, ANY, DEADLINE, sender=who)
    market.fundInsurance(usd(200), sender=deployer)
    assert_conserved(token, market)
    set_price(feed, deployer, 1_800)
    first = set(market.liquidatableAccounts(0, 100))
    steps, deleverages = [], []
    while True:
        due = market.liquidatableAccounts(0, 100)
        if not due:
            break
        insurance_before = market.ledger().insuranceFund
        mark_before = market.markPrice()
        tx = market.liquidate(due[0], sender=deployer)
        steps.append((str(due[0]), tx, mark_before, market.markPrice(), insurance_before))
        assert_conserved(token, market)
        assert len(steps) <= len(longs)
        if tx.events.filter(market.DeleverageDebtRecorded):
            # a keeper deleverages at once: the best-ranked short first (the ranking is checked on-chain)
            pending = market.ledger().pendingDebtLongs
            scores = {str(s): _adl_score(market, s) for s in shorts}
            order = sorted(shorts, key=lambda s: -scores[str(s)])
            dtx = market.deleverage(order, sender=deployer)
            evs = dtx.events.filter(market.AutoDeleveraged)
            assert evs and str(evs[0].account) == str(order[0])
            assert sum(e.haircut for e in evs) == pending and market.ledger().pendingDebtLongs == 0
            deleverages.append(dtx)
            assert_conserved(token, market)

    liquidated = [s[0] for s in steps]
    assert sorted(liquidated) == sorted(str(x) for x in longs)  # every long went
    assert len(first) == 2 and first <= set(liquidated)
    # five accounts were healthy after the gap and only fell because earlier liquidations moved the mark
    assert len(set(liquidated) - first) == 5
    covered = [s for s in steps if s[1].events.filter(market.BadDebtCovered)]
    in_debt = [s for s in steps if s[1].events.filter(market.DeleverageDebtRecorded)]
    assert covered and in_debt and len(deleverages) == len(in_debt)
    for who, tx, mb, ma, ins in steps:
        assert ma < mb  # every liquidation sold at the moved mark and pushed it down
        assert tx.gas_used <= 180_000
        debt = tx.events.filter(market.DeleverageDebtRecorded)
        if debt:
            # the insurance fund was emptied first, the rest is pending debt of the longs
            cov = tx.events.filter(market.BadDebtCovered)
            assert debt[0].account == who and debt[0].isLong
            assert (cov[0].amount if cov else 0) == ins
    led = market.ledger()
    recorded = sum(e.amount for s in in_debt for e in s[1].events.filter(market.DeleverageDebtRecorded))
    haircuts = [e for d in deleverages for e in d.events.filter(market.AutoDeleveraged)]
    assert led.cumulativeDebtRecorded == recorded == led.cumulativeAdlLoss == sum(e.haircut for e in haircuts) > 0
    assert led.cumulativeAdlSize == sum(-e.sizeClosed for e in haircuts) > 0
    assert led.pendingDebtLongs == 0 and led.cumulativeDebtRepaid == 0
    assert led.cumulativeBadDebtCovered == sum(e.amount for s in covered for e in s[1].events.filter(market.BadDebtCovered))
    assert market.openInterest()[0] == 0
    assert market.markPrice() < 1_650 * WAD  # 1800 gap, then ~1.75% per liquidation


def _adl_score(market, account) -> int:
    size, margin, last, _ = market.positionOf(account)
    mark = market.markPrice()
    upnl = size * (mark - last) // 10**30 - market.accruedFunding(account)
    equity = margin + upnl
    return int(upnl * (abs(size) * mark // WAD) / equity)
