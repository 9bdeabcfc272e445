"""The keeper on the protocol as `hedgekeeper deploy` deploys it, with default settings (anvil's first key,
the deployer, holds the keeper role): one cycle through the CLI, then `status`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hedgekeeper.deploy import deploy_protocol
from hedgekeeper.toolchain import repo_root

pytestmark = pytest.mark.anvil
WAD = 10**18


def _cli(args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEDGEKEEPER_")}
    return subprocess.run([sys.executable, "-m", "hedgekeeper.cli", *args], capture_output=True, text=True, cwd=repo_root(), env=env, timeout=300)


def test_keeper_runs_on_the_deployed_protocol(project, chain, deployer, alice, tmp_path):
    dep = deploy_protocol(project, chain, deployer)
    path = dep.write(tmp_path / "local.json")
    pool = project.OptionsPool.at(dep.contract("OptionsPool").address)
    market = project.OptionMarket.at(dep.contract("OptionMarket").address)
    quote = project.MockStablecoin.at(dep.contract("MockStablecoin").address)
    quote.mint(alice, 10**12, sender=deployer)
    quote.approve(pool, 2**256 - 1, sender=alice)
    market.openPosition(4, True, True, 10 * WAD, 0, 2**256 - 1, chain.pending_timestamp + 600, sender=alice)
    before = pool.keeperSnapshot()
    assert before.netDelta < -2 * WAD

    url = chain.provider.http_uri
    run = _cli(["run", "--rpc", url, "--deployment", str(path), "--once", "--no-live", "--journal", str(tmp_path / "j.sqlite")])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "kind=hedge" in run.stderr and "status=mined" in run.stderr
    after = pool.keeperSnapshot()
    assert abs(after.netDelta) <= 1 * WAD  # the default policy: fixed band of 1 unit, hedged to zero
    status = _cli(["status", "--rpc", url, "--deployment", str(path), "--journal", str(tmp_path / "j.sqlite")])
    assert status.returncode == 0, status.stderr
    assert "hedge position" in status.stdout and "journal" in status.stdout
