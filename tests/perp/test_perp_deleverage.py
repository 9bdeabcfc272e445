"""Losses beyond the insurance fund: `liquidate` records the rest as pending deleveraging debt of the bankrupt
side (exact amounts from the documented formulas), `deleverage` repays it from the insurance fund first,
then takes haircuts from profitable opposite positions supplied in rank order; bad input changes nothing."""

from __future__ import annotations

import ape
import pytest

from perp_helpers import assert_conserved, set_price
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS as P
from perp_reference import SCALE, WAD, ceil_div, fill, funding_owed, pnl, usd

DEADLINE = 2**63
ANY = 2**200


def _open_book(market, traders):
    """Three shorts of different rank and a long at ~2000; returns (long, [a, b, c] best rank first)."""
    long_, a, b, c = traders[0], traders[1], traders[3], traders[4]
    for who, margin, size in ((a, 1_200, 5), (b, 10_000, 10), (c, 100_000, 10)):
        market.deposit(usd(margin), sender=who)
        market.trade(-size * WAD, 0, DEADLINE, sender=who)
    market.deposit(usd(10_500), sender=long_)
    market.trade(50 * WAD, ANY, DEADLINE, sender=long_)
    return long_, [a, b, c]


def _bankrupt_long(market, feed, deployer, traders, keeper, insurance=0):
    long_, shorts = _open_book(market, traders)
    if insurance:
        market.fundInsurance(insurance, sender=deployer)
    set_price(feed, deployer, 1_700)
    return long_, shorts, market.liquidate(long_, sender=keeper)


def _sorted_candidates(market, side):
    found, sizes, scores = market.deleverageCandidates(0, market.accountCount())
    picked = [(sc, a) for a, sz, sc in zip(found, sizes, scores) if (sz < 0) == (side < 0)]
    return [a for _, a in sorted(picked, key=lambda x: -x[0])], {str(a): sc for sc, a in picked}


def test_shortfall_beyond_insurance_becomes_pending_debt(perp, traders, deployer):
    token, feed, market = perp
    keeper = traders[2]
    long_, shorts = _open_book(market, traders)
    market.fundInsurance(usd(100), sender=deployer)
    set_price(feed, deployer, 1_700)
    size, margin, last, last_f = market.positionOf(long_)
    skew, mark_before, index = market.skew(), market.markPrice(), market.indexPrice()
    keeper_before = token.balanceOf(keeper)
    tx = market.liquidate(long_, sender=keeper)
    ev = tx.events.filter(market.PositionLiquidated)[0]
    f_idx = market.positionOf(long_)[3]
    # the close is a fill at the moved mark, like any other liquidation
    assert ev.fillPrice == fill(index, skew, -size, P.skew_scale) == market.positionOf(long_)[2]
    assert market.markPrice() < mark_before
    realized = pnl(size, ev.fillPrice, last) - funding_owed(size, f_idx, last_f)
    reward = size * ev.fillPrice // SCALE * P.liquidation_reward_ratio // WAD
    shortfall = -(margin + realized - reward)
    assert ev.reward == reward and ev.penalty == 0 and ev.margin == 0
    assert token.balanceOf(keeper) == keeper_before + reward  # the liquidator is paid in full
    cov = tx.events.filter(market.BadDebtCovered)[0]
    debt = tx.events.filter(market.DeleverageDebtRecorded)[0]
    assert cov.amount == usd(100) and cov.insuranceFund == 0
    assert debt.account == long_ and debt.isLong
    assert debt.amount == debt.pending == shortfall - usd(100) > 0
    led = market.ledger()
    assert led.pendingDebtLongs == led.cumulativeDebtRecorded == debt.amount
    assert led.pendingDebtShorts == 0 and led.insuranceFund == 0
    assert market.positionOf(long_)[:2] == (0, 0)
    assert_conserved(token, market)
    del shorts


def test_deleverage_takes_haircuts_in_rank_order(perp, traders, deployer):
    token, feed, market = perp
    keeper = traders[2]
    long_, shorts, liq = _bankrupt_long(market, feed, deployer, traders, keeper)
    debt = market.ledger().pendingDebtLongs
    assert debt > 0
    order, scores = _sorted_candidates(market, -1)
    assert order == shorts  # a: thin margin, b: medium, c: rich, equal profit per unit
    assert scores[shorts[0].address] > scores[shorts[1].address] > scores[shorts[2].address] > 0
    before = {a: market.positionOf(a) for a in order}
    tx = market.deleverage(order, sender=keeper)
    f_idx = market.positionOf(order[0])[3]
    evs = tx.events.filter(market.AutoDeleveraged)
    remaining = debt
    skew = market.skew()
    for ev in evs:
        size, margin, last, last_f = before[ev.account]
        realized = pnl(size, ev.fillPrice, last) - funding_owed(size, f_idx, last_f)
        assert ev.haircut == min(remaining, max(realized, 0))
        remaining -= ev.haircut
        assert ev.pendingDebt == remaining and ev.caller == keeper
        now = market.positionOf(ev.account)
        assert now[0] == size - ev.sizeClosed and now[1] == margin + realized - ev.haircut
    assert [e.account for e in evs] == shorts  # the first two cannot cover it, the third closes a part
    assert market.positionOf(shorts[0])[0] == 0 and market.positionOf(shorts[1])[0] == 0
    assert -10 * WAD < market.positionOf(shorts[2])[0] < 0
    led = market.ledger()
    assert remaining == led.pendingDebtLongs == 0
    assert led.cumulativeAdlLoss == debt == sum(e.haircut for e in evs)
    assert led.cumulativeAdlSize == sum(-e.sizeClosed for e in evs)
    assert skew == -market.openInterest()[1]
    assert_conserved(token, market)
    del liq


def test_deleverage_close_size_covers_the_debt(perp, traders, deployer):
    token, feed, market = perp
    keeper = traders[2]
    _, shorts, _ = _bankrupt_long(market, feed, deployer, traders, keeper)
    c = shorts[2]
    size, margin, last, last_f = market.positionOf(c)
    market.fundInsurance(market.ledger().pendingDebtLongs - usd(1_000), sender=deployer)
    debt = usd(1_000)  # left after the fund repays the rest inside deleverage
    mark = market.markPrice()
    tx = market.deleverage([c], sender=keeper)
    ev = tx.events.filter(market.AutoDeleveraged)[0]
    upnl = pnl(size, mark, last) - funding_owed(size, market.positionOf(c)[3], last_f)
    assert upnl > debt  # c alone can pay it
    assert -ev.sizeClosed == min(-size, ceil_div(-size * debt, upnl))
    assert ev.haircut == debt and market.ledger().pendingDebtLongs == 0
    assert_conserved(token, market)
    del margin


def test_deleverage_rejects_bad_input(perp, traders, deployer, chain):
    token, feed, market = perp
    keeper, fresh = traders[2], traders[5]
    with ape.reverts(market.NoPendingDebt):
        market.deleverage([], sender=keeper)
    long_, shorts, _ = _bankrupt_long(market, feed, deployer, traders, keeper)
    market.deposit(usd(20_000), sender=fresh)
    market.trade(-5 * WAD, 0, DEADLINE, sender=fresh)
    set_price(feed, deployer, 1_710)  # the fresh short, sold at ~1700, is now in loss
    market.deposit(usd(20_000), sender=long_)
    market.trade(2 * WAD, ANY, DEADLINE, sender=long_)  # a long cannot pay the longs' debt
    state = (token.balanceOf(market), market.ledger(), [market.positionOf(a) for a in traders])
    with ape.reverts(market.NotDeleverageable, account=deployer.address):
        market.deleverage([deployer], sender=keeper)  # no position
    with ape.reverts(market.NotDeleverageable, account=long_.address):
        market.deleverage([long_], sender=keeper)  # wrong side (shorts owe nothing)
    with ape.reverts(market.NotDeleverageable, account=long_.address):
        market.deleverage([shorts[0], long_], sender=keeper)
    with ape.reverts(market.NotDeleverageable, account=fresh.address):
        market.deleverage([fresh], sender=keeper)  # not in profit
    with ape.reverts(market.DeleverageOrder, account=shorts[0].address):
        market.deleverage([shorts[2], shorts[0]], sender=keeper)  # out of rank
    feed.setAnswerAt(1_700 * 10**8, chain.pending_timestamp - P.max_oracle_age - 1, sender=deployer)
    with ape.reverts(market.StaleOraclePrice):
        market.deleverage([shorts[0]], sender=keeper)
    with ape.reverts(market.StaleOraclePrice):
        market.deleverageCandidates(0, 10)
    assert (token.balanceOf(market), market.ledger(), [market.positionOf(a) for a in traders]) == state


def test_insurance_repays_pending_debt_first(perp, traders, deployer):
    token, feed, market = perp
    keeper = traders[2]
    _, shorts, _ = _bankrupt_long(market, feed, deployer, traders, keeper)
    debt = market.ledger().pendingDebtLongs
    market.fundInsurance(debt // 3, sender=deployer)
    tx = market.deleverage([], sender=keeper)
    ev = tx.events.filter(market.DeleverageDebtRepaid)[0]
    assert ev.amount == debt // 3 and ev.insuranceFund == 0
    assert ev.pendingDebtLongs == debt - debt // 3 == market.ledger().pendingDebtLongs
    assert_conserved(token, market)
    market.fundInsurance(debt, sender=deployer)
    before = market.positionOf(shorts[0])
    tx = market.deleverage([shorts[0]], sender=keeper)  # the fund pays it all: nobody is deleveraged
    assert not tx.events.filter(market.AutoDeleveraged)
    assert market.positionOf(shorts[0]) == before
    led = market.ledger()
    assert led.pendingDebtLongs == 0 and led.insuranceFund == debt // 3
    assert led.cumulativeDebtRepaid == debt
    assert_conserved(token, market)
    with ape.reverts(market.NoPendingDebt):
        market.deleverage([shorts[0]], sender=keeper)


def test_bankrupt_short_debt_paid_by_longs(perp, traders, deployer):
    token, feed, market = perp
    short_, long_, keeper = traders[0], traders[1], traders[2]
    market.deposit(usd(100_000), sender=long_)
    market.trade(20 * WAD, ANY, DEADLINE, sender=long_)
    market.deposit(usd(10_500), sender=short_)
    market.trade(-50 * WAD, 0, DEADLINE, sender=short_)
    set_price(feed, deployer, 2_300)
    tx = market.liquidate(short_, sender=keeper)
    debt = tx.events.filter(market.DeleverageDebtRecorded)[0]
    assert not debt.isLong and market.ledger().pendingDebtShorts == debt.amount > 0
    assert market.ledger().pendingDebtLongs == 0
    assert_conserved(token, market)
    order, _ = _sorted_candidates(market, +1)
    assert order == [long_]
    tx = market.deleverage(order, sender=keeper)
    assert tx.events.filter(market.AutoDeleveraged)[0].haircut == debt.amount
    assert market.ledger().pendingDebtShorts == 0
    assert_conserved(token, market)


@pytest.mark.parametrize("crowd_size", [0, 60])
def test_shortfall_liquidation_gas_does_not_grow_with_accounts(project, perp, traders, deployer, crowd_size):
    token, feed, market = perp
    if crowd_size:
        crowd = deployer.deploy(project.PerpCrowdHarness)
        crowd.join(market, token, crowd_size, usd(10_000), -WAD // 2, sender=deployer)
        assert market.accountCount() >= crowd_size
    _, _, tx = _bankrupt_long(market, feed, deployer, traders, traders[2])
    assert tx.events.filter(market.DeleverageDebtRecorded)
    assert tx.gas_used <= 180_000
    assert_conserved(token, market)
