"""`hedgekeeper backtest`: writes the report folder; bad input is one clear line, exit code 2."""

import json
import subprocess
import sys

import pytest

from hedgekeeper.cli import main
from hedgekeeper.toolchain import repo_root


def test_backtest_writes_the_report(tmp_path, capsys):
    out = tmp_path / "rep"
    code = main(["backtest", "--scenario", "jump", "--policy", "ww", "--param", "gamma_risk=0.01", "--param", "min_band=0.1",
                 "--paths", "300", "--steps", "48", "--seed", "5", "--premium-fee", "0.02", "--rate", "0.03", "--out", str(out)])
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["steps"] == 49 and summary["all_paths"]["paths"] == 300
    assert summary["run"]["policy"] == "whalley_wilmott" and summary["run"]["policy_params"]["gamma_risk"] == 0.01
    assert summary["run"]["scenario"]["scenario"] == "jump"
    assert summary["pnl_by_component"]["premium"] > 0
    assert (out / "steps.csv").is_file() and (out / "pnl_components.png").is_file()
    assert "report written to" in capsys.readouterr().out
    # same seed, same numbers
    again = tmp_path / "again"
    assert main(["backtest", "--scenario", "jump", "--policy", "ww", "--param", "gamma_risk=0.01", "--param", "min_band=0.1",
                 "--paths", "300", "--steps", "48", "--seed", "5", "--premium-fee", "0.02", "--rate", "0.03", "--out", str(again)]) == 0
    assert json.loads((again / "summary.json").read_text())["all_paths"]["final_pnl"] == summary["all_paths"]["final_pnl"]


def test_defaults_run_without_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["backtest", "--paths", "50"]) == 0
    summary = json.loads((tmp_path / "reports" / "backtest" / "summary.json").read_text())
    assert summary["run"]["policy_params"]["gamma_risk"] == 0.01 and summary["steps"] == 169


def test_backtest_follows_a_price_file(tmp_path):
    f = tmp_path / "eth.csv"
    f.write_text("timestamp,price\n" + "\n".join(f"{1_700_000_000 + 3600 * i},{2000 + 5 * (-1) ** i * i}" for i in range(25)))
    out = tmp_path / "rep"
    assert main(["backtest", "--scenario", "file", "--price-file", str(f), "--paths", "1", "--steps", "24", "--policy", "interval",
                 "--param", "interval_seconds=7200", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["index_price"]["end"] == 2000 + 5 * 24 and summary["hedge_trades"] == 12


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--policy", "magic"], "unknown policy 'magic'"),
        (["--policy", "ww", "--param", "gamma_risk=0"], "gamma_risk must be > 0"),
        (["--policy", "ww", "--param", "gamma_risk=x"], "gamma_risk must be a number"),
        (["--policy", "band", "--param", "band"], "key=value"),
        (["--policy", "band", "--param", "band=-1"], "band must be >= 0"),
        (["--scenario", "bogus"], "unknown scenario 'bogus'"),
        (["--scenario", "file"], "needs --price-file"),
        (["--scenario", "file", "--price-file", "/no/such.csv"], "does not exist"),
        (["--price-file", "x.csv"], "only for --scenario file"),
        (["--realized-vol", "-1"], "realized_vol must be >= 0"),
        (["--paths", "0"], "--paths must be >= 1"),
        (["--steps", "0"], "n_steps"),
        (["--expiry-days", "0.1"], "ends before the run"),
        (["--quantity", "0"], "--quantity must not be 0"),
        (["--report-path", "5", "--paths", "5"], "out of range"),
        (["--cost-rate", "-0.1"], "cost_rate"),
    ],
)
def test_bad_input_is_one_line(tmp_path, capsys, args, needle):
    base = ["backtest", "--paths", "5", "--steps", "8", "--out", str(tmp_path / "r")]
    if "--policy" not in args:
        base += ["--policy", "band", "--param", "band=0.5"]
    code = main(base + args)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err


def test_the_installed_entry_point_prints_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "hedgekeeper.cli", "backtest", "--policy", "nope", "--out", str(tmp_path / "r")],
                       capture_output=True, text=True, cwd=repo_root(), timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.strip() == "error: unknown policy 'nope'; choose one of fixed_band, fixed_interval, whalley_wilmott"
