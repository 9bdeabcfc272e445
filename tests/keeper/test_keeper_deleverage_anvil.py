"""A perp shortfall beyond the insurance fund becomes pending deleveraging debt when the keeper liquidates the
bankrupt account; at the next cycle the keeper reads the debt and deleverages the profitable shorts in rank
order until it is repaid (on anvil, the real protocol without an insurance fund)."""

from __future__ import annotations

import pytest
from eth_account import Account
from keeper_chain import mnemonic_key

from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.local_protocol import deploy_local_protocol
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.pool_setup import QUOTE, WAD

pytestmark = pytest.mark.anvil

MAX = 2**256 - 1
ONLY = {"hedge": False, "margin": False, "oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False,
        "liquidate_perps": True, "surface": False, "deleverage": True}


def test_keeper_deleverages_a_shortfall_in_rank_order(project, chain, accounts, deployer, alice, bob, tmp_path):
    keeper_key = mnemonic_key(7)
    p = deploy_local_protocol(project, chain, deployer, alice, [Account.from_key(keeper_key).address], tmp_path / "local.json",
                              insurance_seed=0)
    perp, quote, feed = p.perp, p.quote, p.feed
    short_big, short_small = accounts[3], accounts[4]
    deadline = chain.pending_timestamp + 3_600
    for who, margin in ((bob, 1_000), (short_big, 5_000), (short_small, 20_000)):
        quote.mint(who, margin * QUOTE, sender=deployer)
        quote.approve(perp, MAX, sender=who)
        perp.deposit(margin * QUOTE, sender=who)
    perp.trade(-3 * WAD, 1_900 * WAD, deadline, sender=short_big)
    perp.trade(-2 * WAD, 1_900 * WAD, deadline, sender=short_small)
    perp.trade(4 * WAD, 2_100 * WAD, deadline, sender=bob)  # 8x long: bankrupt below ~1750
    feed.setAnswer(1_700 * 10**8, sender=deployer)
    assert perp.ledger().insuranceFund == 0

    settings = load_settings(rpc_url=chain.provider.http_uri, deployment=p.deployment, private_key=keeper_key,
                             journal_path=tmp_path / "journal.sqlite", duties=ONLY, liquidation={"scan_interval_s": 0})
    app = build_keeper(settings)
    first = app.keeper.cycle()
    assert [(a.kind, o.status) for a, o in zip(first.actions, first.outcomes)] == [("liquidate_perp", "mined")]
    assert first.actions[0].account.lower() == str(bob.address).lower()
    ledger = perp.ledger()
    debt = ledger.pendingDebtLongs
    assert debt > 0 and ledger.pendingDebtShorts == 0 and ledger.cumulativeDebtRecorded == debt

    # the order the contract checks, from its own candidate list
    found, sizes, scores = perp.deleverageCandidates(0, perp.accountCount())
    expected = [str(a) for _, a in sorted(((sc, a) for a, sz, sc in zip(found, sizes, scores) if sz < 0), key=lambda x: -x[0])]
    assert {a.lower() for a in expected} == {str(short_big.address).lower(), str(short_small.address).lower()}
    second = app.keeper.cycle()
    assert [(a.kind, o.status) for a, o in zip(second.actions, second.outcomes)] == [("deleverage", "mined")], second.outcomes
    action = second.actions[0]
    assert [t.lower() for t in action.targets] == [a.lower() for a in expected] and action.paying_side == "shorts"
    assert action.pending_debt == pytest.approx(debt / QUOTE)
    after = perp.ledger()
    assert after.pendingDebtLongs == 0 and after.cumulativeAdlLoss == debt  # the debt recovered by haircuts, to the unit
    assert after.cumulativeDebtRecorded == after.pendingDebtLongs + after.pendingDebtShorts + after.cumulativeDebtRepaid + after.cumulativeAdlLoss
    third = app.keeper.cycle()
    assert third.actions == ()  # nothing pending: no further deleverage
    assert not app.journal.pending() and set(app.journal.counts()) == {"mined"}
    app.close()
