"""Deposits, withdrawals and trades: fills, fees, realized PnL against the reference formulas; the
conservation law after every operation; every bad input rejected with its custom error."""

from __future__ import annotations

import ape
import pytest

from perp_helpers import assert_conserved, set_price
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS as P
from perp_reference import WAD, fee, fill, mark, pnl, requirement, usd

FAR = 2**63  # a deadline far away
DEADLINE = FAR
ANY = 2**200  # a buy limit that never binds


def test_deposit_registers_and_credits(perp, traders):
    token, _, market = perp
    a = traders[0]
    tx = market.deposit(usd(1_000), sender=a)
    assert market.positionOf(a)[1] == usd(1_000)
    assert market.accountCount() == 1 and market.accountAt(0) == a
    assert [e.account for e in tx.events.filter(market.AccountRegistered)] == [a]
    market.deposit(usd(500), sender=a)
    assert market.accountCount() == 1
    assert market.positionOf(a)[1] == usd(1_500)
    assert token.balanceOf(market) == usd(1_500)
    assert_conserved(token, market)


def test_open_modify_close_match_reference(perp, traders, chain):
    token, feed, market = perp
    a, b = traders[0], traders[1]
    market.deposit(usd(100_000), sender=a)
    market.deposit(usd(100_000), sender=b)
    index = 2_000 * WAD
    # open long 10 at an empty book
    size = 10 * WAD
    q_fill, q_fee = market.quoteTrade(size)
    tx = market.trade(size, ANY, FAR, sender=a)
    f1 = fill(index, 0, size, P.skew_scale)
    fee1 = fee(0, size, f1, P.taker_fee_ratio, P.maker_fee_ratio)
    assert (q_fill, q_fee) == (f1, fee1)
    ev = tx.events.filter(market.PositionModified)[0]
    assert ev.fillPrice == f1 and ev.fee == fee1 and ev.newSize == size
    assert market.positionOf(a)[:3] == (size, usd(100_000) - fee1, f1)
    assert market.markPrice() == mark(index, size, P.skew_scale) > index
    assert market.skew() == size
    assert_conserved(token, market)
    # b sells 4: reduces the skew (maker fee), price moves down
    f2 = fill(index, size, -4 * WAD, P.skew_scale)
    fee2 = fee(size, -4 * WAD, f2, P.taker_fee_ratio, P.maker_fee_ratio)
    market.trade(-4 * WAD, 0, FAR, sender=b)
    assert market.positionOf(b)[:3] == (-4 * WAD, usd(100_000) - fee2, f2)
    assert fee2 < fee(0, -4 * WAD, f2, P.taker_fee_ratio, P.maker_fee_ratio)
    assert_conserved(token, market)
    # price rallies; a increases to 15 and realizes PnL on 10 at the new fill
    set_price(feed, ape.accounts.test_accounts[0], 2_100)
    index2 = 2_100 * WAD
    skew = 6 * WAD
    before = market.positionOf(a)
    f3 = fill(index2, skew, 5 * WAD, P.skew_scale)
    fee3 = fee(skew, 5 * WAD, f3, P.taker_fee_ratio, P.maker_fee_ratio)
    tx = market.trade(5 * WAD, ANY, FAR, sender=a)
    fidx = market.positionOf(a)[3]
    funding = -(-(size * (fidx - before[3])) // 10**30)
    realized = pnl(size, f3, before[2]) - funding
    assert tx.events.filter(market.PositionModified)[0].realized == realized
    assert market.positionOf(a)[:3] == (15 * WAD, before[1] + realized - fee3, f3)
    assert realized > usd(900)
    assert_conserved(token, market)
    # close a completely
    before = market.positionOf(a)
    skew = 11 * WAD
    f4 = fill(index2, skew, -15 * WAD, P.skew_scale)
    market.trade(-15 * WAD, 0, FAR, sender=a)
    after = market.positionOf(a)
    assert after[0] == 0 and after[2] == f4
    assert market.skew() == -4 * WAD
    assert market.openInterest() == (0, 4 * WAD)
    assert_conserved(token, market)
    # flip b from short 4 to long 6 (crosses the skew: part maker, part taker)
    market.trade(10 * WAD, ANY, FAR, sender=b)
    assert market.positionOf(b)[0] == 6 * WAD
    assert market.openInterest() == (6 * WAD, 0)
    assert_conserved(token, market)


def test_taker_fee_higher_when_increasing_skew(perp, traders):
    _, _, market = perp
    a = traders[0]
    market.deposit(usd(100_000), sender=a)
    market.trade(20 * WAD, ANY, FAR, sender=a)
    _, fee_reduce = market.quoteTrade(-5 * WAD)
    _, fee_increase = market.quoteTrade(5 * WAD)
    assert fee_reduce * 2 < fee_increase


def test_withdraw_keeps_initial_margin(perp, traders):
    token, _, market = perp
    a = traders[0]
    market.deposit(usd(10_000), sender=a)
    market.trade(40 * WAD, ANY, FAR, sender=a)  # ~80k notional, IM ~8k
    im = market.initialMarginOf(a)
    eq = market.equityOf(a)
    margin = market.positionOf(a)[1]
    free = margin - (im - (eq - margin))  # funding accrues between blocks: stay a few units off the edge
    with ape.reverts(market.InsufficientMargin):
        market.withdraw(free + usd(5), sender=a)
    bal = token.balanceOf(a)
    tx = market.withdraw(free - usd(5), sender=a)
    assert token.balanceOf(a) == bal + free - usd(5)
    assert tx.events.filter(market.MarginWithdrawn)[0].amount == free - usd(5)
    assert market.equityOf(a) >= market.initialMarginOf(a)
    assert_conserved(token, market)


def test_account_views(perp, traders):
    _, _, market = perp
    a = traders[0]
    market.deposit(usd(20_000), sender=a)
    market.trade(50 * WAD, ANY, FAR, sender=a)
    size, margin, equity, mm = market.accountSummary(a)
    mk = market.markPrice()
    last = market.positionOf(a)[2]
    assert size == 50 * WAD
    assert equity == margin + pnl(size, mk, last) - market.accruedFunding(a)
    assert mm == requirement(size, mk, P.maintenance_margin_ratio)
    ratio = market.marginRatio(a)
    assert abs(ratio - equity * 10**30 // (size * mk // WAD)) <= 1
    liq = market.liquidationPrice(a)
    # at the liquidation price equity equals maintenance margin (within rounding)
    eq_at = margin - market.accruedFunding(a) + pnl(size, liq, last)
    assert abs(eq_at - requirement(size, liq, P.maintenance_margin_ratio)) <= 2
    assert market.marginRatio(traders[5]) == 2**255 - 1
    assert market.liquidationPrice(traders[5]) == 0
    assert market.accountSummary(traders[5]) == (0, 0, 0, 0)


# ------------------------------------------------------------------ bad input

def _no_change(token, market, who):
    return (token.balanceOf(market), market.positionOf(who), market.openInterest(), market.ledger())


def test_trade_rejects_bad_input(perp, traders, deployer, chain):
    token, feed, market = perp
    a = traders[0]
    market.deposit(usd(10_000), sender=a)
    state = _no_change(token, market, a)
    with ape.reverts(market.SizeZero):
        market.trade(0, ANY, FAR, sender=a)
    now = chain.pending_timestamp
    with ape.reverts(market.DeadlinePassed, deadline=now - 10):
        market.trade(WAD, FAR, now - 10, sender=a)
    f, _ = market.quoteTrade(WAD)
    with ape.reverts(market.PriceBeyondLimit, fillPrice=f, limitPrice=f - 1):
        market.trade(WAD, f - 1, FAR, sender=a)
    f, _ = market.quoteTrade(-WAD)
    with ape.reverts(market.PriceBeyondLimit, fillPrice=f, limitPrice=f + 1):
        market.trade(-WAD, f + 1, FAR, sender=a)
    with ape.reverts(market.InsufficientMargin):
        market.trade(60 * WAD, ANY, FAR, sender=a)  # 120k notional on 10k margin
    with ape.reverts(market.OpenInterestLimitExceeded):
        market.trade(P.max_open_interest + 1, ANY, FAR, sender=a)
    with ape.reverts(market.SizeZero):
        market.quoteTrade(0)
    # absurd sizes are rejected before pricing (the skew formulas need |skew| < skewScale)
    for absurd in (-(2**255), 2**255 - 1, -P.skew_scale, P.skew_scale + 5):
        with ape.reverts(market.OpenInterestLimitExceeded, limit=P.max_open_interest):
            market.trade(absurd, ANY if absurd > 0 else 0, FAR, sender=a)
        with ape.reverts(market.OpenInterestLimitExceeded):
            market.quoteTrade(absurd)
    assert _no_change(token, market, a) == state
    # stale feed
    stale_at = chain.pending_timestamp - P.max_oracle_age - 10
    feed.setAnswerAt(2_000 * 10**8, stale_at, sender=deployer)
    with ape.reverts(market.StaleOraclePrice, updatedAt=stale_at, maxAge=P.max_oracle_age):
        market.trade(WAD, ANY, FAR, sender=a)
    with ape.reverts(market.StaleOraclePrice):
        market.markPrice()
    assert _no_change(token, market, a) == state


def test_reducing_trade_cannot_leave_negative_margin(perp, traders, deployer):
    token, feed, market = perp
    a = traders[0]
    market.deposit(usd(10_000), sender=a)
    market.trade(45 * WAD, ANY, FAR, sender=a)
    set_price(feed, deployer, 1_700)  # loss ~13.5k > margin
    state = _no_change(token, market, a)
    with ape.reverts(market.InsufficientMargin):
        market.trade(-45 * WAD, 0, FAR, sender=a)
    assert _no_change(token, market, a) == state


def test_flip_cannot_hide_a_realized_loss(perp, traders, deployer):
    """A flip realizes the old position's loss at the fill; the settled margin may not go negative even
    when the new position shows a gain at the moved mark."""
    token, feed, market = perp
    a = traders[0]
    market.deposit(usd(21_000), sender=a)
    market.trade(100 * WAD, ANY, DEADLINE, sender=a)
    set_price(feed, deployer, 1_790)  # loss ~21k: margin after settling < 0
    state = _no_change(token, market, a)
    with ape.reverts(market.InsufficientMargin, required=0):
        market.trade(-200 * WAD, 0, DEADLINE, sender=a)
    assert _no_change(token, market, a) == state


def test_margin_functions_reject_bad_input(perp, traders):
    token, _, market = perp
    a = traders[0]
    with ape.reverts(market.AmountZero):
        market.deposit(0, sender=a)
    with ape.reverts(market.AmountZero):
        market.fundInsurance(0, sender=a)
    market.deposit(usd(100), sender=a)
    state = _no_change(token, market, a)
    with ape.reverts(market.AmountZero):
        market.withdraw(0, sender=a)
    with ape.reverts(market.WithdrawExceedsMargin, amount=usd(100) + 1, margin=usd(100)):
        market.withdraw(usd(100) + 1, sender=a)
    assert _no_change(token, market, a) == state


def test_fund_insurance_and_fees(perp, traders, deployer):
    token, _, market = perp
    a, b = traders[0], traders[1]
    tx = market.fundInsurance(usd(5_000), sender=b)
    assert tx.events.filter(market.InsuranceFunded)[0].insuranceFund == usd(5_000)
    assert market.ledger().insuranceFund == usd(5_000)
    market.deposit(usd(10_000), sender=a)
    market.trade(10 * WAD, ANY, FAR, sender=a)
    pool = market.ledger().feePool
    assert pool > 0
    assert_conserved(token, market)
    with ape.reverts(market.AccessControlUnauthorizedAccount, account=a.address):
        market.withdrawFees(a, 1, sender=a)
    with ape.reverts(market.FeesExceedPool, amount=pool + 1, feePool=pool):
        market.withdrawFees(deployer, pool + 1, sender=deployer)
    with ape.reverts(market.AmountZero):
        market.withdrawFees(deployer, 0, sender=deployer)
    with ape.reverts(market.ZeroAddress, what="to"):
        market.withdrawFees("0x0000000000000000000000000000000000000000", 1, sender=deployer)
    bal = token.balanceOf(deployer)
    market.withdrawFees(deployer, pool, sender=deployer)
    assert token.balanceOf(deployer) == bal + pool
    assert market.ledger().feePool == 0
    assert_conserved(token, market)


BAD_PARAMS = [
    ("skewScale", dict(skew_scale=0)),
    ("maxOpenInterest", dict(max_open_interest=0)),
    ("maxOpenInterest", dict(max_open_interest=P.skew_scale)),
    ("takerFeeRatio", dict(taker_fee_ratio=10**17 + 1)),
    ("makerFeeRatio", dict(maker_fee_ratio=P.taker_fee_ratio + 1)),
    ("initialMarginRatio", dict(initial_margin_ratio=P.maintenance_margin_ratio)),
    ("initialMarginRatio", dict(initial_margin_ratio=WAD + 1)),
    ("maintenanceMarginRatio", dict(maintenance_margin_ratio=P.liquidation_reward_ratio + P.liquidation_penalty_ratio)),
    ("maxFundingRatePerDay", dict(max_funding_rate_per_day=WAD + 1)),
    ("maxOracleAge", dict(max_oracle_age=0)),
]


def test_parameters_validated_and_admin_only(perp, traders, deployer):
    _, _, market = perp
    before = market.parameters()
    with ape.reverts(market.AccessControlUnauthorizedAccount, account=traders[0].address):
        market.setParameters(P.as_tuple(), sender=traders[0])
    for name, change in BAD_PARAMS:
        with ape.reverts(market.InvalidParameter, name=name):
            market.setParameters(P.with_(**change).as_tuple(), sender=deployer)
    assert market.parameters() == before
    new = P.with_(taker_fee_ratio=10**15)
    tx = market.setParameters(new.as_tuple(), sender=deployer)
    assert tx.events.filter(market.MarketParametersSet)
    assert market.parameters().takerFeeRatio == 10**15


def test_set_parameters_needs_a_fresh_feed(perp, deployer, chain):
    _, feed, market = perp
    feed.setAnswerAt(2_000 * 10**8, chain.pending_timestamp - P.max_oracle_age - 5, sender=deployer)
    with ape.reverts(market.StaleOraclePrice):
        market.setParameters(P.with_(taker_fee_ratio=10**15).as_tuple(), sender=deployer)
    assert market.parameters().takerFeeRatio == P.taker_fee_ratio


def test_short_views(perp, traders):
    _, _, market = perp
    a = traders[1]
    market.deposit(usd(30_000), sender=a)
    market.trade(-60 * WAD, 0, FAR, sender=a)
    size, margin, equity, mm = market.accountSummary(a)
    last = market.positionOf(a)[2]
    liq = market.liquidationPrice(a)
    assert liq > market.markPrice()
    eq_at = margin - market.accruedFunding(a) + pnl(size, liq, last)
    assert abs(eq_at - requirement(size, liq, P.maintenance_margin_ratio)) <= 2


def test_dust_position(perp, traders):
    token, _, market = perp
    a = traders[2]
    market.deposit(usd(1), sender=a)
    _, fee_ = market.quoteTrade(1)
    assert fee_ == 1  # rounded up: even a one-wei trade pays
    market.trade(1, ANY, FAR, sender=a)
    assert market.marginRatio(a) == 2**255 - 1
    assert market.positionOf(a)[:2] == (1, usd(1) - 1)
    assert_conserved(token, market)


def test_skew_scale_cannot_drop_below_open_interest(perp, traders, deployer):
    _, _, market = perp
    a = traders[0]
    market.deposit(usd(100_000), sender=a)
    market.trade(100 * WAD, ANY, FAR, sender=a)
    with ape.reverts(market.InvalidParameter, name="skewScale"):
        market.setParameters(P.with_(skew_scale=100 * WAD, max_open_interest=50 * WAD).as_tuple(), sender=deployer)


def test_constructor_rejects_zero_addresses(project, deployer, perp):
    token, feed, _ = perp
    zero = "0x0000000000000000000000000000000000000000"
    with ape.reverts(project.PerpMarket.ZeroAddress, what="quote"):
        deployer.deploy(project.PerpMarket, zero, feed, P.as_tuple(), deployer)
    with ape.reverts(project.PerpMarket.ZeroAddress, what="feed"):
        deployer.deploy(project.PerpMarket, token, zero, P.as_tuple(), deployer)
    with ape.reverts(project.PerpMarket.ZeroAddress, what="admin"):
        deployer.deploy(project.PerpMarket, token, feed, P.as_tuple(), zero)
    with ape.reverts(project.PerpMarket.InvalidParameter, name="maxOracleAge"):
        deployer.deploy(project.PerpMarket, token, feed, P.with_(max_oracle_age=0).as_tuple(), deployer)
