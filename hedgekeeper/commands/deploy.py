"""`hedgekeeper deploy`: deploy the protocol to a local chain and write the deployment file."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from hedgekeeper.ape_session import ape_session
from hedgekeeper.deploy import deploy_protocol


@click.command("deploy")
@click.option("--rpc", "rpc_url", default=None, help="Node URL; without it an anvil is started and stopped here.")
@click.option("--port", default=0, show_default=True, help="Port for the anvil started here (0: any free port).")
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=Path("deployments/local.json"), show_default=True)
@click.option("--keep-running", is_flag=True, help="Keep the started anvil running until Ctrl-C.")
def deploy_command(rpc_url: str | None, port: int, out_path: Path, keep_running: bool) -> None:
    """Deploy every contract and write addresses, ABIs, chain id and block to a JSON file."""
    console = Console()
    with ape_session(rpc_url, port) as session:
        dep = deploy_protocol(session.project, session.chain, session.accounts[0])
        dep.write(out_path)
        table = Table(title=f"chain {dep.chain_id} at {session.url}, from block {dep.block}")
        table.add_column("contract")
        table.add_column("address")
        for name, c in dep.contracts.items():
            table.add_row(name, c.address)
        console.print(table)
        console.print(f"deployment written to {out_path}")
        if keep_running and session.node is not None:
            console.print(f"anvil is running at {session.url}; Ctrl-C to stop")
            try:
                while True:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
