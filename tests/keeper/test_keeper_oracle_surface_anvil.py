"""The keeper keeps the volatility oracle readable for longer than maxSurfaceAge of chain time on anvil: it folds
every new feed round (and sends no update without one) and re-posts the live expiry's surface before it goes
stale, moving it toward its target by at most the oracle's per-post limits."""

from __future__ import annotations

import numpy as np
import pytest
from eth_account import Account
from keeper_chain import mnemonic_key

from hedgekeeper.deploy_oracle import PARAMS
from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.local_protocol import ATM, STRIKES, deploy_local_protocol
from hedgekeeper.keeper.rpc import build_rpc
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.pool_setup import DEFAULT_ATM_VOL, WAD

pytestmark = pytest.mark.anvil

STEP_S = 1_200
STEPS = 15  # 5 h of chain time > maxSurfaceAge (4 h)
TARGET_ATM = 105 * WAD // 100
NO_NEW_ROUND_STEPS = (4, 10)


@pytest.fixture(scope="module")
def keeper_key():
    return mnemonic_key(8)


@pytest.fixture(scope="module")
def protocol(project, chain, deployer, alice, keeper_key, tmp_path_factory):
    out = tmp_path_factory.mktemp("protocol") / "local.json"
    return deploy_local_protocol(project, chain, deployer, alice, [Account.from_key(keeper_key).address], out)


def test_keeper_without_the_surface_role_does_not_post(chain, protocol, tmp_path):
    settings = load_settings(rpc_url=chain.provider.http_uri, deployment=protocol.deployment, private_key=mnemonic_key(6),
                             journal_path=tmp_path / "journal.sqlite", duties={"hedge": False})
    app = build_keeper(settings)
    assert settings.duties.surface and not app.settings.duties.surface  # every post would revert: duty off
    app.close()


def test_reads_stay_valid_past_max_surface_age_with_the_keeper_running(chain, deployer, protocol, keeper_key, tmp_path):
    p = protocol
    oracle, feed, pool = p.oracle, p.feed, p.pool
    settings = load_settings(rpc_url=chain.provider.http_uri, deployment=p.deployment, private_key=keeper_key,
                             journal_path=tmp_path / "journal.sqlite", policy="fixed_band", policy_params={"band": 0.5},
                             max_hedge_size=100.0, surface={"atm_vol": TARGET_ATM / WAD, "scan_interval_s": 0})
    app = build_keeper(settings)
    rpc = build_rpc(chain.provider.http_uri)
    rng = np.random.default_rng(5)
    start = chain.blocks.head.timestamp
    price = 2_000.0
    atm_seen = [oracle.surface(p.expiry).atmVol]
    assert atm_seen[0] == DEFAULT_ATM_VOL
    posts = updates = 0
    for step in range(STEPS):
        rpc.request("evm_increaseTime", [STEP_S])
        new_round = step not in NO_NEW_ROUND_STEPS
        if new_round:
            price *= float(np.exp(0.005 * rng.standard_normal()))
            feed.setAnswer(int(price * 10**8), sender=deployer)
        report = app.keeper.cycle()
        failed = [(o.kind, o.status, o.detail) for o in report.outcomes if o.status != "mined"]
        assert not failed, f"step {step}: {failed}"
        kinds = [a.kind for a in report.actions]
        assert kinds.count("update_oracle") == (1 if new_round else 0), f"step {step}: {kinds}"
        updates += kinds.count("update_oracle")
        posts += kinds.count("post_surfaces")
        rpc.request("evm_mine", [])
        now = chain.blocks.head.timestamp
        _last_price, observed_at, _vol, _block = oracle.realizedState()
        assert observed_at == feed.latestRoundData()[3]  # every round folded
        view = oracle.surface(p.expiry)
        assert now - view.postedAt < PARAMS["maxSurfaceAge"] * settings.surface.refresh_fraction + STEP_S
        if view.atmVol != atm_seen[-1]:
            assert abs(view.atmVol - atm_seen[-1]) <= PARAMS["maxAtmChangePerPost"]
            atm_seen.append(view.atmVol)
        # pricing and valuation reads do not revert (StaleSurface / StaleSpot) and the pool still reads its book
        for strike in (STRIKES[0], STRIKES[ATM], STRIKES[-1]):
            assert PARAMS["minVol"] <= oracle.impliedVol(p.expiry, strike) <= PARAMS["maxVol"]
            assert PARAMS["minVol"] <= oracle.smoothedImpliedVol(p.expiry, strike) <= PARAMS["maxVol"]
        assert pool.keeperSnapshot().timestamp == now
    assert chain.blocks.head.timestamp - start > PARAMS["maxSurfaceAge"]
    assert atm_seen == [DEFAULT_ATM_VOL, 90 * WAD // 100, WAD, TARGET_ATM]  # +0.10 per post, then on target
    assert posts >= len(atm_seen) - 1 + 2  # the moves, then at least two re-posts at the refresh age
    assert updates == STEPS - len(NO_NEW_ROUND_STEPS)
    assert not app.journal.pending() and set(app.journal.counts()) == {"mined"}
    app.close()
