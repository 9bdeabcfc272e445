"""Simulation throughput on anvil and the harness overhead against the raw JSON-RPC cost of the same
transactions, in the same run.

The run: `hedgekeeper simulate`'s default market (agents and keeper, whalley_wilmott) for STEPS steps on
an anvil started here, deployed with Ape, with SimConfig.record: the node is snapshotted right after
deployment and every raw signed transaction sent after it (agents' sender and keeper's executor), with the
per-step block-time settings, is logged in order. Its wall time (deployment excluded) covers every
transaction, every read and the agents' and keeper's own work.

The replay (hedgekeeper/sim/replay.py): the node reverted to the snapshot, the same raw transactions sent
again through plain web3.py (HTTPProvider, `send_raw_transaction`, receipt polled every millisecond), one at
a time, with the same block times. It must give every transaction the same receipt status in the same
block and end in the same state root. ratio = run time / replay time of the step loop's transactions."""

from __future__ import annotations

from typing import Any

from hedgekeeper.anvil import AnvilNode
from hedgekeeper.commands.simulate import build_policy, build_scenario
from hedgekeeper.keeper.rpc import HttpJsonRpc
from hedgekeeper.sim.engine import SimConfig, SimRun, Simulation
from hedgekeeper.sim.replay import ReplayError, ReplayResult, replay
from hedgekeeper.sim.sender import fix_block_interval, release_block_interval

STEPS = 48
TARGET_RATIO = 1.5


def replay_run(url: str, run: SimRun) -> ReplayResult:
    """Replay a recorded run on the node at `url` (left at the replay's end state)."""
    if run.tx_log is None or not run.snapshot_id:
        raise ReplayError("the run was not recorded (SimConfig.record=False)")
    rpc = HttpJsonRpc(url, timeout_s=30.0)
    try:
        fix_block_interval(rpc, 1)
        try:
            return replay(url, rpc, run.tx_log, run.snapshot_id)
        finally:
            release_block_interval(rpc)
    finally:
        rpc.close()


def figures(run: SimRun, rep: ReplayResult, steps: int) -> dict[str, Any]:
    return {
        "steps": steps,
        "transactions": run.transactions,
        "steps_per_second": round(steps / run.run_seconds, 2),
        "transactions_per_second": round(run.transactions / run.run_seconds, 1),
        "run_seconds": round(run.run_seconds, 3),
        "deploy_seconds": round(run.deploy_seconds, 3),
        "replayed_transactions": rep.loop_transactions,
        "replay_seconds": round(rep.seconds, 3),
        "ms_per_transaction": round(1000 * run.run_seconds / run.transactions, 3),
        "replay_ms_per_transaction": round(1000 * rep.seconds / rep.loop_transactions, 3),
        "ratio_to_raw_rpc": round(run.run_seconds / rep.seconds, 3),
        "target_ratio_max": TARGET_RATIO,
        "replay_same_statuses": rep.same_statuses,
        "replay_same_blocks": rep.same_blocks,
        "replay_same_state_root": rep.same_state,
        "reverted_transactions": rep.run.statuses.count(0),
    }


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    from ape import networks

    with AnvilNode() as node, networks.parse_network_choice(node.url):
        from ape import accounts as ape_accounts
        from ape import chain

        sim = Simulation(node.url, project, chain, ape_accounts.test_accounts[0], build_scenario("gbm", None, None),
                         build_policy("whalley_wilmott", ()), SimConfig(steps=STEPS, seed=1, record=True))
        run = sim.run()
        rep = replay_run(node.url, run)
    return figures(run, rep, STEPS + 1)
