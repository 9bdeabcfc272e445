"""End to end on anvil with the real protocol: OptionsPool + OptionMarket priced by the VolatilityOracle,
hedged on the PerpMarket. Traders buy calls (the pool goes short gamma), the price moves along a path, and
after every keeper cycle the pool's net delta, read back from the chain, is inside the keeper's band."""

from __future__ import annotations

import numpy as np
import pytest
from eth_account import Account
from keeper_chain import mnemonic_key

from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.local_protocol import deploy_local_protocol
from hedgekeeper.keeper.rpc import build_rpc
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.pool_setup import QUOTE, WAD

pytestmark = pytest.mark.anvil

BAND = 0.5
MAX = 2**256 - 1
ATM = 4


@pytest.fixture(scope="module")
def keeper_key():
    return mnemonic_key(9)


@pytest.fixture(scope="module")
def protocol(project, chain, deployer, alice, keeper_key, tmp_path_factory):
    out = tmp_path_factory.mktemp("protocol") / "local.json"
    p = deploy_local_protocol(project, chain, deployer, alice, [Account.from_key(keeper_key).address], out)
    return {"pool": p.pool, "market": p.market, "perp": p.perp, "oracle": p.oracle, "feed": p.feed, "quote": p.quote,
            "deployment": p.deployment}


def test_keeper_hedges_the_real_pool_along_a_price_path(protocol, chain, deployer, keeper_key, tmp_path):
    pool, perp, feed = protocol["pool"], protocol["perp"], protocol["feed"]
    start = pool.keeperSnapshot()
    assert start.optionsDelta < -5 * WAD and start.optionsGamma < 0  # short 20 ATM calls
    settings = load_settings(rpc_url=chain.provider.http_uri, deployment=protocol["deployment"], private_key=keeper_key,
                             journal_path=tmp_path / "journal.sqlite", policy="fixed_band", policy_params={"band": BAND},
                             max_hedge_size=100.0, oracle_interval_s=900, greeks_refresh_drift=0.05)
    app = build_keeper(settings)
    rpc = build_rpc(chain.provider.http_uri)
    rng = np.random.default_rng(11)
    price = 2_000.0
    kinds: set[str] = set()
    for step in range(12):
        rpc.request("evm_increaseTime", [300])
        price *= float(np.exp(0.015 * rng.standard_normal()))
        feed.setAnswer(int(price * 10**8), sender=deployer)
        size_before = perp.accountSummary(pool)[0]
        report = app.keeper.cycle()
        failed = [(o.kind, o.status, o.detail) for o in report.outcomes if o.status != "mined"]
        assert not failed, f"step {step}: {failed}"
        kinds |= {a.kind for a in report.actions}
        snap = pool.keeperSnapshot()
        size, _margin, equity, _maint = perp.accountSummary(pool)
        assert snap.hedgeSize == size  # the pool's hedge is its perp position
        assert abs(snap.netDelta) <= BAND * WAD, f"step {step}: net delta {snap.netDelta / WAD}"
        read_back = round(report.snapshot.book.hedge_size * WAD)  # the keeper's last read of the position
        assert min(abs(read_back - size_before), abs(read_back - size)) <= 10**4
        notional = abs(size) / WAD * snap.markPrice / WAD
        if notional > 0:
            assert 0.10 - 1e-6 <= (equity / QUOTE) / notional <= 0.30 + 1e-6, f"step {step}: margin ratio"
    assert {"hedge", "refresh_greeks", "update_oracle", "adjust_margin"} <= kinds
    assert not app.journal.pending() and set(app.journal.counts()) == {"mined"}
    app.close()


def test_keeper_liquidates_shorts_and_perp_accounts_but_tops_up_its_own_pool(protocol, chain, deployer, bob, keeper_key, tmp_path):
    pool, market, perp, feed = protocol["pool"], protocol["market"], protocol["perp"], protocol["feed"]
    quote = protocol["quote"]
    settings = load_settings(rpc_url=chain.provider.http_uri, deployment=protocol["deployment"], private_key=keeper_key,
                             journal_path=tmp_path / "journal.sqlite", policy="fixed_band", policy_params={"band": BAND},
                             max_hedge_size=100.0, liquidation={"scan_interval_s": 0, "short_reward_estimate": 5.0})
    app = build_keeper(settings)
    app.keeper.cycle()  # hedged: the pool's perp account is long about 11 with equity at 15% of notional
    assert abs(pool.keeperSnapshot().netDelta) <= BAND * WAD

    quote.mint(bob, 1_000_000 * QUOTE, sender=deployer)
    quote.approve(pool, MAX, sender=bob)
    quote.approve(perp, MAX, sender=bob)
    # bob writes a put with just its initial margin, and goes long 4 on the perp at 8x leverage
    try:
        market.openPosition(ATM, False, False, WAD, 0, 0, chain.pending_timestamp + 600, sender=bob)
        raise AssertionError("a short without collateral must revert")
    except AssertionError:
        raise
    except Exception as exc:  # CollateralBelowInitialMargin(collateral, required)
        required = int(exc.inputs["required"])
    tx = market.openPosition(ATM, False, False, WAD, required, 0, chain.pending_timestamp + 600, sender=bob)
    short_id = tx.decode_logs(market.PositionOpened)[0].positionId
    perp.deposit(1_000 * QUOTE, sender=bob)
    perp.trade(4 * WAD, 2_100 * WAD, chain.pending_timestamp + 600, sender=bob)  # long 4 at ~2000, 12.5% margin

    # -12%: the short put, bob's long perp and the pool's own long hedge all fall below maintenance
    feed.setAnswer(1_760 * 10**8, sender=deployer)
    assert short_id in list(pool.liquidatableShorts(0, 100))
    assert {bob.address, str(pool.address)} <= set(perp.liquidatableAccounts(0, 100))
    before = pool.keeperSnapshot()
    assert quote.balanceOf(app.account.address) == 0

    report = app.keeper.cycle()
    done = [(a.kind, o.status) for a, o in zip(report.actions, report.outcomes)]
    assert ("liquidate_short", "mined") in done and ("liquidate_perp", "mined") in done, done
    assert not any(getattr(a, "account", "").lower() == str(pool.address).lower() for a in report.actions)
    assert short_id not in list(pool.liquidatableShorts(0, 100))
    assert abs(perp.accountSummary(bob)[0]) < 4 * WAD  # (partly) liquidated
    assert str(pool.address) not in set(perp.liquidatableAccounts(0, 100))  # topped up, not liquidated
    assert quote.balanceOf(app.account.address) > 0  # liquidator rewards paid to the keeper
    after = pool.keeperSnapshot()
    assert abs(after.netDelta) <= BAND * WAD
    notional = abs(after.hedgeSize) / WAD * after.markPrice / WAD
    assert after.hedgeEquity / QUOTE >= 0.10 * notional - 1e-6 and after.hedgeEquity > before.hedgeEquity
    app.close()
