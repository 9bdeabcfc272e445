"""Bad keeper configuration fails at start with one clear line through the CLI (exit code 2, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hedgekeeper.toolchain import repo_root


def _run(args, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "hedgekeeper.cli", *args], capture_output=True, text=True, cwd=repo_root(), env=env, timeout=120)


def _one_line(result, *needles):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def deployment(tmp_path):
    path = tmp_path / "dep.json"
    path.write_text(json.dumps({"chain_id": 31337, "block": 0, "deployer": "0x" + "00" * 20, "contracts": {}}))
    return path


def test_unknown_policy(deployment):
    _one_line(_run(["run", "--deployment", str(deployment), "--policy", "no_such_policy", "--once"]), "unknown policy 'no_such_policy'")


def test_negative_band(deployment):
    _one_line(_run(["run", "--deployment", str(deployment), "--policy-param", "band=-0.5", "--once"]), "band must be a finite number >= 0")


def test_negative_setting_from_environment(deployment):
    _one_line(_run(["run", "--deployment", str(deployment), "--once"], {"HEDGEKEEPER_MARGIN__MIN_RATIO": "-1"}), "margin.min_ratio")


def test_missing_deployment_file(tmp_path):
    _one_line(_run(["status", "--deployment", str(tmp_path / "nope.json")]), "deployment file not found")


def test_malformed_config_file(tmp_path, deployment):
    cfg = tmp_path / "k.toml"
    cfg.write_text("slippage = [")
    _one_line(_run(["status", "--deployment", str(deployment), "--config", str(cfg)]), "malformed")


def test_unknown_setting_in_config_file(tmp_path, deployment):
    cfg = tmp_path / "k.json"
    cfg.write_text(json.dumps({"slipage": 0.01}))
    _one_line(_run(["status", "--deployment", str(deployment), "--config", str(cfg)]), "slipage")


def test_unreachable_node(deployment):
    _one_line(_run(["status", "--deployment", str(deployment), "--rpc", "http://127.0.0.1:9"]), "no Ethereum node answers")


def test_bad_policy_param_syntax(deployment):
    _one_line(_run(["run", "--deployment", str(deployment), "--policy-param", "band", "--once"]), "KEY=VALUE")
