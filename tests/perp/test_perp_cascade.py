"""A price gap starts a liquidation cascade: every liquidation sells at the moved mark, which pushes the next
account under maintenance margin. Losses beyond margin go first to the insurance fund, then to
auto-deleveraging of the most profitable shorts; the ledger is conserved after every step."""

from __future__ import annotations

from conftest import assert_conserved, deploy_market, set_price
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
    steps = []
    while True:
        due = market.liquidatableAccounts(0, 100)
        if not due:
            break
        scores = {str(s): _adl_score(market, s) for s in shorts}
        insurance_before = market.ledger().insuranceFund
        mark_before = market.markPrice()
        tx = market.liquidate(due[0], sender=deployer)
        steps.append((str(due[0]), tx, mark_before, market.markPrice(), scores, insurance_before))
        assert_conserved(token, market)
        assert len(steps) <= len(longs)

    liquidated = [s[0] for s in steps]
    assert sorted(liquidated) == sorted(str(x) for x in longs)  # every long went
    assert len(first) == 2 and first <= set(liquidated)
    # five accounts were healthy after the gap and only fell because earlier liquidations moved the mark
    assert len(set(liquidated) - first) == 5
    covered = [s for s in steps if s[1].events.filter(market.BadDebtCovered)]
    adl = [s for s in steps if s[1].events.filter(market.AutoDeleveraged)]
    assert covered and adl
    for who, tx, mb, ma, scores, ins in steps:
        if tx.events.filter(market.AutoDeleveraged):
            # insurance could not cover the loss at the moved mark: it is emptied, the opposite side absorbs
            # the position at the bankruptcy price and the mark does not move
            assert market.ledger().insuranceFund >= 0
            ev = tx.events.filter(market.AutoDeleveraged)[0]
            assert ev.bankrupt == who
            assert str(ev.account) == max(scores, key=scores.get)  # most profitable x leverage first
            assert ma == mb
            cov = tx.events.filter(market.BadDebtCovered)
            assert cov and cov[0].amount == ins and cov[0].insuranceFund == 0
        else:
            assert ma < mb  # the liquidation sold at the moved mark and pushed it down
    led = market.ledger()
    adl_events = [e for s in adl for e in s[1].events.filter(market.AutoDeleveraged)]
    assert led.cumulativeAdlSize == sum(-e.sizeClosed for e in adl_events) == 70 * WAD
    assert led.cumulativeAdlLoss == sum(e.loss for e in adl_events) > 0
    assert led.cumulativeBadDebtCovered == sum(
        e.amount for s in steps for e in s[1].events.filter(market.BadDebtCovered)
    )
    assert led.cumulativeBadDebtUncovered == 0
    assert market.openInterest()[0] == 0
    assert market.markPrice() < 1_620 * WAD  # 1800 gap, then ~1.75% per liquidation


def _adl_score(market, account) -> int:
    size, margin, last, _ = market.positionOf(account)
    mark = market.markPrice()
    upnl = size * (mark - last) // 10**30 - market.accruedFunding(account)
    equity = margin + upnl
    return int(upnl * (abs(size) * mark // WAD) / equity)
