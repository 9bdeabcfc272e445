"""The whole keeper (reader, decide, executor, journal) on anvil against KeeperBookHarness, a stand-in with
the options pool's exact keeper interface: hedging along a price path, duties, restarts and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from eth_account import Account
from keeper_chain import mnemonic_key, write_deployment
from keeper_test_policy import BandPolicy

from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.executor import ExecutorHooks
from hedgekeeper.keeper.rpc import build_rpc
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.strategy.decide import with_costs
from hedgekeeper.toolchain import repo_root

pytestmark = pytest.mark.anvil

WAD = 10**18
BAND = 0.25
HERE = Path(__file__).resolve().parent
ONLY_HEDGE_AND_MARGIN = {"oracle": False, "greeks": False, "settle": False, "liquidate_shorts": False, "liquidate_perps": False}


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def keeper_key():
    return mnemonic_key(8)


@pytest.fixture(scope="module")
def keeper_address(keeper_key):
    return Account.from_key(keeper_key).address


@pytest.fixture(scope="module")
def feed(project, deployer):
    return deployer.deploy(project.MockAggregator, 8, "ETH / USD", 2_000 * 10**8)


@pytest.fixture(scope="module")
def pool(project, deployer, feed, keeper_address, chain):
    harness = deployer.deploy(project.KeeperBookHarness, feed, keeper_address, 1_000_000 * 10**6)
    expiry = chain.pending_timestamp + 30 * 86400
    harness.setBook(-10 * WAD, -(2 * WAD) // 100, 2_000 * WAD, expiry, sender=deployer)
    return harness


@pytest.fixture(scope="module")
def deployment_file(tmp_path_factory, chain, deployer, pool, feed):
    path = tmp_path_factory.mktemp("dep") / "local.json"
    return write_deployment(path, chain.chain_id, str(deployer.address), {"OptionsPool": pool, "MockAggregator": feed})


def keeper_settings(chain, deployment_file, keeper_key, tmp_path, **kw):
    duties = {**ONLY_HEDGE_AND_MARGIN, **kw.pop("duties", {})}
    return load_settings(rpc_url=chain.provider.http_uri, deployment=deployment_file, private_key=keeper_key,
                         journal_path=tmp_path / "journal.sqlite", duties=duties, **kw)


def net_delta(pool) -> float:
    return pool.keeperSnapshot().netDelta / WAD


@pytest.mark.parametrize("policy_name, params", [
    ("fixed_band", {"band": BAND}),
    ("whalley_wilmott", {"gamma_risk": 0.02, "min_band": 0.05}),
])
def test_keeps_net_delta_in_band_along_a_price_path(policy_name, params, chain, deployer, feed, pool, deployment_file, keeper_key, tmp_path):
    app = build_keeper(keeper_settings(chain, deployment_file, keeper_key, tmp_path, policy=policy_name, policy_params=params))
    policy = app.keeper.policy
    rng = np.random.default_rng(7)
    price = 2_000.0
    hedges = 0
    for step in range(20):
        price *= float(np.exp(0.02 * rng.standard_normal() - 0.0002))
        feed.setAnswer(int(price * 10**8), sender=deployer)
        before = net_delta(pool)
        report = app.keeper.cycle()
        assert report.snapshot.book.net_delta == pytest.approx(before, abs=1e-12)  # read back from chain
        band = policy.band(with_costs(report.snapshot.book, app.settings)) if policy_name == "whalley_wilmott" else BAND
        after = pool.keeperSnapshot()
        assert abs(after.netDelta / WAD) <= band + 1e-9, f"step {step}: net delta {after.netDelta / WAD} band {band}"
        hedges += sum(o.kind == "hedge" and o.status == "mined" for o in report.outcomes)
        notional = abs(after.hedgeSize) / WAD * price
        if notional > 0:
            ratio = (after.hedgeEquity / 1e6) / notional
            assert 0.10 - 1e-6 <= ratio <= 0.30 + 1e-6, f"step {step}: margin ratio {ratio}"
    assert hedges >= 8 and pool.hedgeCount() == hedges
    assert app.keeper.metrics.registry.get_sample_value("keeper_hedges_sent_total") == hedges
    assert app.keeper.metrics.registry.get_sample_value("keeper_cycle_seconds_count") == 20
    assert app.journal.counts() == {"mined": len(app.journal.all())}
    app.close()


def test_restart_between_send_and_receipt_does_not_hedge_twice(chain, deployer, feed, pool, deployment_file, keeper_key, tmp_path):
    feed.setAnswer(2_300 * 10**8, sender=deployer)
    settings = keeper_settings(chain, deployment_file, keeper_key, tmp_path, duties={"margin": False})

    def interrupt(_id):
        raise Interrupted()

    first = build_keeper(settings, policy=BandPolicy(BAND), hooks=ExecutorHooks(after_send=interrupt))
    count = pool.hedgeCount()
    with pytest.raises(Interrupted):
        first.keeper.cycle()
    first.close()
    assert pool.hedgeCount() == count + 1 and abs(net_delta(pool)) <= BAND
    peek = build_keeper(settings, policy=BandPolicy(BAND), reconcile=False)
    (pending,) = peek.journal.pending()
    peek.close()
    assert pending.kind == "hedge"

    restarted = build_keeper(settings, policy=BandPolicy(BAND))  # reconciles the pending hedge at start
    assert restarted.journal.pending() == [] and restarted.journal.get(pending.id).status == "mined"
    report = restarted.keeper.cycle()
    assert [a.kind for a in report.actions] == []
    assert pool.hedgeCount() == count + 1


def test_housekeeping_duties(chain, deployer, pool, deployment_file, keeper_key, tmp_path):
    settings = keeper_settings(chain, deployment_file, keeper_key, tmp_path, greeks_max_age_s=100,
                               duties={"greeks": True, "settle": True, "liquidate_shorts": True, "hedge": False, "margin": False},
                               liquidation={"scan_interval_s": 0})
    app = build_keeper(settings)
    pool.setLiquidatableShorts([3, 5], sender=deployer)
    rpc = build_rpc(chain.provider.http_uri)
    rpc.request("evm_increaseTime", [90])
    rpc.request("evm_mine", [])
    report = app.keeper.cycle()
    assert sorted(a.kind for a in report.actions) == ["liquidate_short", "liquidate_short", "refresh_greeks"]
    assert all(o.status == "mined" for o in report.outcomes)
    assert pool.liquidatableShorts(0, 10) == [] and pool.greeksUpdatedAt() >= chain.blocks.head.timestamp - 1
    rpc.request("evm_increaseTime", [31 * 86400])
    rpc.request("evm_mine", [])
    report = app.keeper.cycle()
    # settles first (no refresh of the expired book), then re-reads and refreshes the now stale greeks
    assert [a.kind for a in report.actions] == ["settle_expiry", "refresh_greeks"]
    assert [o.status for o in report.outcomes] == ["mined", "mined"]
    assert pool.expiry() == 0 and pool.keeperSnapshot().expiredUnsettledBoards == 0
    app.close()


def test_dry_run_decides_but_sends_nothing(chain, deployer, feed, pool, deployment_file, keeper_key, tmp_path):
    feed.setAnswer(1_700 * 10**8, sender=deployer)
    app = build_keeper(keeper_settings(chain, deployment_file, keeper_key, tmp_path, dry_run=True), policy=BandPolicy(BAND))
    count, before = pool.hedgeCount(), net_delta(pool)
    report = app.keeper.cycle()
    assert "hedge" in [a.kind for a in report.actions] and {o.status for o in report.outcomes} == {"dry_run"}
    assert pool.hedgeCount() == count and net_delta(pool) == before
    app.close()


def _cli(args, keeper_key, extra_env=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(repo_root()), str(HERE)])
    env["HEDGEKEEPER_PRIVATE_KEY"] = keeper_key
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "hedgekeeper.cli", *args], capture_output=True, text=True, cwd=repo_root(), env=env, timeout=300)


def test_cli_run_once_and_status(chain, deployer, feed, pool, deployment_file, keeper_key, tmp_path):
    feed.setAnswer(2_600 * 10**8, sender=deployer)
    count = pool.hedgeCount()
    config = tmp_path / "keeper.toml"
    config.write_text(f'policy = "keeper_test_policy:BandPolicy"\n[policy_params]\nband = {BAND}\n[duties]\noracle = false\n')
    url = chain.provider.http_uri
    run = _cli(["run", "--rpc", url, "--deployment", str(deployment_file), "--config", str(config), "--once", "--no-live",
                "--journal", str(tmp_path / "j.sqlite")], keeper_key)
    assert run.returncode == 0, run.stderr
    assert "action" in run.stderr and "kind=hedge" in run.stderr and "status=mined" in run.stderr
    assert pool.hedgeCount() == count + 1 and abs(net_delta(pool)) <= BAND
    status = _cli(["status", "--rpc", url, "--deployment", str(deployment_file)], keeper_key)
    assert status.returncode == 0, status.stderr
    assert "net delta" in status.stdout and "hedge position" in status.stdout


def test_cli_wrong_chain_id_is_one_line(chain, deployment_file, keeper_key, tmp_path):
    doc = json.loads(Path(deployment_file).read_text())
    doc["chain_id"] = 1
    other = tmp_path / "mainnet.json"
    other.write_text(json.dumps(doc))
    res = _cli(["run", "--rpc", chain.provider.http_uri, "--deployment", str(other), "--once", "--policy", "keeper_test_policy:BandPolicy"], keeper_key)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("error: deployment file") and "chain id 1" in res.stderr
    res = _cli(["status", "--rpc", chain.provider.http_uri, "--deployment", str(deployment_file)], keeper_key, {"HEDGEKEEPER_CHAIN_ID": "5"})
    assert res.returncode == 2 and "settings expect 5" in res.stderr.strip().splitlines()[-1]


def test_ape_script_runs_one_cycle(chain, deployer, feed, pool, deployment_file, keeper_key, tmp_path):
    feed.setAnswer(1_800 * 10**8, sender=deployer)
    count = pool.hedgeCount()
    env = dict(os.environ, HEDGEKEEPER_ONCE="1", HEDGEKEEPER_DEPLOYMENT=str(deployment_file), HEDGEKEEPER_PRIVATE_KEY=keeper_key,
               HEDGEKEEPER_JOURNAL_PATH=str(tmp_path / "j.sqlite"), HEDGEKEEPER_POLICY_PARAMS=json.dumps({"band": BAND}),
               PYTHONPATH=str(repo_root()))
    res = subprocess.run(["ape", "run", "keeper", "--network", chain.provider.http_uri], capture_output=True, text=True,
                         cwd=repo_root(), env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "kind=hedge" in res.stderr and "status=mined" in res.stderr and "net delta" in res.stdout
    assert pool.hedgeCount() == count + 1 and abs(net_delta(pool)) <= BAND
