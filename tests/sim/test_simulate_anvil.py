"""`hedgekeeper simulate` on anvil: the report folder, the PnL attribution identity and residual bound, the
agents' activity, determinism, liquidations after a crash, and the chain against the model backtester."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hedgekeeper.commands.simulate import build_policy, build_scenario
from hedgekeeper.sim.consistency import PNL_TOLERANCE, SIZE_TOLERANCE, compare_chain_and_model
from hedgekeeper.sim.engine import SimConfig
from hedgekeeper.sim.report import PLOTS
from hedgekeeper.sim.run import run_and_report
from hedgekeeper.toolchain import repo_root

pytestmark = pytest.mark.anvil

STEPS = 24


@pytest.fixture(scope="module")
def url(chain):
    return chain.provider.http_uri


def simulate(url, project, chain, deployer, out: Path, seed: int = 3, scenario: str = "gbm", steps: int = STEPS, policy=("whalley_wilmott", ())):
    return run_and_report(url, project, chain, deployer, build_scenario(scenario, None, None), build_policy(*policy),
                          SimConfig(steps=steps, seed=seed), out)


@pytest.fixture(scope="module")
def first(url, project, chain, deployer, tmp_path_factory):
    out = tmp_path_factory.mktemp("sim") / "first"
    files, summary, _table = simulate(url, project, chain, deployer, out)
    return out, summary


def test_report_folder_has_every_file(first):
    out, summary = first
    for name in ("summary.json", "steps.csv", *PLOTS):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    rows = list(csv.DictReader((out / "steps.csv").open()))
    assert len(rows) == STEPS + 2  # the reading before the first step, then one per step
    assert json.loads((out / "summary.json").read_text())["steps"] == STEPS + 2
    assert summary["performance"]["steps_per_second"] > 0


def test_components_add_up_to_nav_change_and_residual_is_small(first):
    _out, summary = first
    a = summary["attribution"]
    assert abs(a["identity_error"]) < 1e-6
    assert a["pnl_total"] == pytest.approx(a["nav_change"] - a["lp_net_flows"], abs=1e-6)
    assert a["gross_pnl"] > 0
    assert a["residual_ratio"] <= 0.05
    by = summary["pnl_by_component"]
    for name in ("gamma", "theta", "vega", "premium", "hedge_cost", "funding", "basis", "liquidation", "residual"):
        assert name in by


def test_theory_gamma_and_theta_follow_the_variance_gap(first):
    _out, summary = first
    t = summary["theory"]
    # 1/2 Gamma S^2 (r^2 - sigma^2 dt) summed over steps is gamma + theta to first order in dt
    assert t["gamma_plus_theta"] == pytest.approx(t["expected_from_variance_gap"], rel=0.15, abs=2.0)
    assert t["theta"] == pytest.approx(t["theta_black_scholes"], rel=0.05, abs=1.0)


def test_every_agent_acted_and_the_keeper_hedged(first):
    _out, summary = first
    act = summary["activity"]
    for what in ("option_opened", "perp_trades", "arbitrage_trades", "lp_deposits", "hedge_trades"):
        assert act.get(what, 0) > 0, what
    nd = summary["net_delta_after_hedge"]["mean_abs"], summary["net_delta_before_hedge"]["mean_abs"]
    assert nd[0] < nd[1]


def test_same_seed_same_report_other_seed_other_report(first, url, project, chain, deployer, tmp_path):
    out, _ = first
    simulate(url, project, chain, deployer, tmp_path / "again")
    assert (tmp_path / "again" / "summary.json").read_text() == (out / "summary.json").read_text()
    assert (tmp_path / "again" / "steps.csv").read_text() == (out / "steps.csv").read_text()
    simulate(url, project, chain, deployer, tmp_path / "other", seed=4, steps=4)
    assert json.loads((tmp_path / "other" / "summary.json").read_text())["index_price"] != json.loads((out / "summary.json").read_text())["index_price"]


def test_a_crash_liquidates_leveraged_perp_traders(url, project, chain, deployer, tmp_path):
    prices = [2000.0] * 5 + [1960.0, 1900.0, 1820.0, 1750.0, 1700.0]
    path = tmp_path / "crash.csv"
    path.write_text("timestamp,price\n" + "".join(f"{i * 3600},{p}\n" for i, p in enumerate(prices)))
    _files, summary, _ = simulate(url, project, chain, deployer, tmp_path / "crash", scenario=f"file:{path}", steps=len(prices) - 1)
    assert summary["liquidations"]["perp"] > 0
    assert summary["liquidations"]["perp"] == summary["activity"].get("perp_liquidations", 0)
    assert summary["attribution"]["residual_ratio"] <= 0.05


@pytest.mark.parametrize("policy", [("fixed_band", ("band=0.5",)), ("whalley_wilmott", ()), ("fixed_interval", ("interval_seconds=7100",))])
def test_chain_and_model_agree_on_trades_and_pnl(url, project, chain, deployer, policy):
    c = compare_chain_and_model(url, project, chain, deployer, build_scenario("gbm", None, None), build_policy(*policy), steps=STEPS, seed=2)
    assert c.chain_trade_steps == c.model_trade_steps and len(c.chain_trade_steps) >= 3
    assert c.max_size_gap <= SIZE_TOLERANCE
    assert c.pnl_gap <= PNL_TOLERANCE, c.as_dict()
    assert c.agrees


def test_command_line_run_starts_its_own_anvil_and_writes_the_report(tmp_path):
    out = tmp_path / "cli"
    proc = subprocess.run([sys.executable, "-m", "hedgekeeper.cli", "simulate", "--steps", "6", "--seed", "9", "--policy", "fixed_band",
                           "--param", "band=0.2", "--out", str(out)], cwd=repo_root(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "report written to" in proc.stdout and "attribution:" in proc.stdout
    for name in ("summary.json", "steps.csv", *PLOTS):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["policy"] == "fixed_band" and summary["run"]["seed"] == 9 and summary["steps"] == 8


def test_benchmark_replay_reproduces_the_run(url, project, chain, deployer):
    """The benchmark's floor is the run's own transactions replayed from the post-deployment snapshot:
    same statuses, same blocks, same final state."""
    from hedgekeeper.benchmarks.simulation import figures, replay_run
    from hedgekeeper.sim.engine import Simulation

    steps = 6
    sim = Simulation(url, project, chain, deployer, build_scenario("gbm", None, None), build_policy("whalley_wilmott", ()),
                     SimConfig(steps=steps, seed=5, record=True))
    run = sim.run()
    rep = replay_run(url, run)
    assert rep.loop_transactions == run.transactions > 0
    assert rep.transactions > rep.loop_transactions  # funding before the loop is replayed too
    assert len(rep.run.statuses) == rep.transactions
    assert rep.same_statuses and rep.same_blocks
    assert rep.replay.head_number == rep.run.head_number
    assert rep.same_state and int(rep.run.state_root, 16) != 0
    f = figures(run, rep, steps + 1)
    assert f["replay_seconds"] > 0 and f["ratio_to_raw_rpc"] > 0
    assert f["replay_same_statuses"] and f["replay_same_state_root"]
