"""Funding accrues per second through the cumulative index exactly as documented: recomputed here in exact
integer arithmetic over several hours of chain time, with a moving index, a changing skew and the cap."""

from __future__ import annotations

from perp_helpers import assert_conserved, deploy_market, set_price
from hedgekeeper.perp_config import DEFAULT_PERP_PARAMETERS
from perp_reference import WAD, ceil_div, fill, funding_index_delta, funding_rate, pnl, usd

DEADLINE = 2**63
ANY = 2**200
CAP = 3 * 10**15  # 0.3% a day
PARAMS = DEFAULT_PERP_PARAMETERS.with_(max_funding_rate_per_day=CAP)


def _ts(chain, tx) -> int:
    return int(chain.blocks[tx.block_number].timestamp)


def test_funding_matches_formula_to_the_unit(project, accounts, deployer, chain):
    traders = [accounts[i] for i in range(1, 4)]
    token, feed, market = deploy_market(project, deployer, traders, PARAMS)
    a, b, c = traders
    for who in traders:
        market.deposit(usd(500_000), sender=who)
    S = PARAMS.skew_scale

    # reference state
    fidx = 0
    last: int | None = None  # taken from the first FundingAccrued event (the deployment's block time)
    skew = 0
    index = 2_000 * WAD

    def accrue(tx):
        nonlocal fidx, last
        t = _ts(chain, tx)
        events = tx.events.filter(market.FundingAccrued)
        if last is None:
            last = t - events[0].elapsed
        rate = funding_rate(skew, S, CAP)
        fidx += funding_index_delta(rate, index, t - last)
        if t > last:
            ev = events[0]
            assert (ev.fundingIndex, ev.ratePerDay, ev.elapsed, ev.indexPrice) == (fidx, rate, t - last, index)
        last = t

    tx = market.trade(200 * WAD, ANY, DEADLINE, sender=a)  # a: long 200 for the whole test
    accrue(tx)
    a_entry_price, a_entry_idx = fill(index, 0, 200 * WAD, S), fidx
    assert market.positionOf(a)[2:] == (a_entry_price, a_entry_idx)
    skew = 200 * WAD

    # (seconds, new price, trader, size): skew goes 200 (capped) -> 100 -> -150 (capped) -> 50 -> ...
    script = [
        (3_600, 2_010.5, b, -100 * WAD),
        (2_700, 1_987.25, c, -250 * WAD),
        (5_400, 2_033.0, b, 200 * WAD),
        (1_800, 1_999.99, c, 30 * WAD),
        (4_321, 2_050.0, c, -30 * WAD),
    ]
    rates = set()
    for dt, price, who, size in script:
        chain.pending_timestamp = chain.pending_timestamp + dt
        set_price(feed, deployer, price)
        index = int(round(price * 10**8)) * 10**10
        tx = market.trade(size, ANY if size > 0 else 0, DEADLINE, sender=who)
        rates.add(funding_rate(skew, S, CAP))
        accrue(tx)
        skew += size
    assert CAP in rates and -CAP in rates and len(rates) == 5  # capped both ways and uncapped

    # a closes: the settled funding is exactly ceil(200 * (F - F_entry) / 1e30), PnL floor(...)
    chain.pending_timestamp = chain.pending_timestamp + 3_000
    set_price(feed, deployer, 2_040)
    index = 2_040 * WAD
    close_fill = fill(index, skew, -200 * WAD, S)
    tx = market.trade(-200 * WAD, 0, DEADLINE, sender=a)
    accrue(tx)
    owed = ceil_div(200 * WAD * (fidx - a_entry_idx), 10**30)
    expected = pnl(200 * WAD, close_fill, a_entry_price) - owed
    assert tx.events.filter(market.PositionModified)[0].realized == expected
    assert owed > usd(50)  # ~21,000 s on 400k notional, at +-0.3%/day and in between
    assert_conserved(token, market)


def test_accrued_funding_view_and_rate(perp, traders, chain, deployer):
    token, feed, market = perp
    a = traders[0]
    market.deposit(usd(100_000), sender=a)
    tx = market.trade(100 * WAD, ANY, DEADLINE, sender=a)
    t_trade = _ts(chain, tx)
    rate = market.fundingRatePerDay()
    assert rate == funding_rate(100 * WAD, DEFAULT_PERP_PARAMETERS.skew_scale, DEFAULT_PERP_PARAMETERS.max_funding_rate_per_day)
    assert rate == 25 * 10**14  # 100 / 40,000 = 0.25% a day
    chain.pending_timestamp = chain.pending_timestamp + 7_200
    set_price(feed, deployer, 2_000)
    # views accrue up to the latest block's time without writing
    t_view = int(chain.blocks.head.timestamp)
    entry_idx = market.positionOf(a)[3]
    expected_idx = entry_idx + funding_index_delta(rate, 2_000 * WAD, t_view - t_trade)
    assert t_view - t_trade >= 7_200
    assert market.fundingIndex() == expected_idx
    assert market.accruedFunding(a) == ceil_div(100 * WAD * (expected_idx - entry_idx), 10**30) > 0
    size, margin, equity, _ = market.accountSummary(a)
    assert equity == margin + pnl(size, market.markPrice(), market.positionOf(a)[2]) - market.accruedFunding(a)


def test_parameter_change_settles_funding_at_the_old_rate(perp, traders, chain, deployer):
    _, feed, market = perp
    a = traders[0]
    market.deposit(usd(100_000), sender=a)
    tx = market.trade(100 * WAD, ANY, DEADLINE, sender=a)
    t0 = _ts(chain, tx)
    idx0 = market.positionOf(a)[3]
    old_rate = market.fundingRatePerDay()
    chain.pending_timestamp = chain.pending_timestamp + 5_000
    set_price(feed, deployer, 2_000)
    tx = market.setParameters(DEFAULT_PERP_PARAMETERS.with_(max_funding_rate_per_day=10**14).as_tuple(), sender=deployer)
    ev = tx.events.filter(market.FundingAccrued)[0]
    assert ev.ratePerDay == old_rate == 25 * 10**14
    assert ev.fundingIndex == idx0 + funding_index_delta(old_rate, 2_000 * WAD, _ts(chain, tx) - t0)
    assert market.fundingRatePerDay() == 10**14  # the new cap applies from now on
