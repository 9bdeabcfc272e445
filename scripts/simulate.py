"""`ape run simulate --network ethereum:local:foundry`: the simulation of `hedgekeeper simulate` on the anvil
Ape is connected to. Options come from environment variables (defaults as in `hedgekeeper simulate`):

    HEDGEKEEPER_SIM_SCENARIO=gbm|jump|file:PATH  HEDGEKEEPER_SIM_STEPS=96  HEDGEKEEPER_SIM_STEP_SECONDS=3600
    HEDGEKEEPER_SIM_SEED=1  HEDGEKEEPER_SIM_POLICY=whalley_wilmott  HEDGEKEEPER_SIM_PARAMS="gamma_risk=0.02,min_band=0.1"
    HEDGEKEEPER_SIM_REALIZED_VOL=0.6  HEDGEKEEPER_SIM_IMPLIED_VOL=0.8  HEDGEKEEPER_SIM_OUT=reports/latest"""

import os
from pathlib import Path

from ape import accounts, chain, networks, project
from rich.console import Console

from hedgekeeper.commands.simulate import build_policy, build_scenario
from hedgekeeper.sim.engine import SimConfig
from hedgekeeper.sim.run import run_and_report, summary_lines


def _opt(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"HEDGEKEEPER_SIM_{name}", "").strip()
    return value or default


def main() -> None:
    realized, implied = _opt("REALIZED_VOL"), _opt("IMPLIED_VOL")
    scenario = build_scenario(_opt("SCENARIO", "gbm") or "gbm", float(realized) if realized else None, float(implied) if implied else None)
    params = tuple(p for p in (_opt("PARAMS", "") or "").split(",") if p.strip())
    policy = build_policy(_opt("POLICY", "whalley_wilmott") or "whalley_wilmott", params)
    config = SimConfig(steps=int(_opt("STEPS", "96") or 96), step_seconds=float(_opt("STEP_SECONDS", "3600") or 3600),
                       seed=int(_opt("SEED", "1") or 1))
    out = Path(_opt("OUT", "reports/latest") or "reports/latest")
    console = Console()
    files, summary, table = run_and_report(networks.provider.http_uri, project, chain, accounts.test_accounts[0], scenario, policy,
                                           config, out, on_step=lambda done, total: None)
    console.print(table)
    for line in summary_lines(summary):
        console.print(line)
    console.print(f"report written to {files.folder}")
