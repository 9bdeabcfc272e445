"""`ape run deploy --network ...`: deploy the protocol with Ape's first test account and write the
deployment file (deployments/<chain id>.json)."""

from pathlib import Path

from ape import accounts, chain, project

from hedgekeeper.deploy import deploy_protocol


def main() -> None:
    dep = deploy_protocol(project, chain, accounts.test_accounts[0])
    out = dep.write(Path("deployments") / f"{dep.chain_id}.json")
    for name, contract in dep.contracts.items():
        print(f"{name:24s} {contract.address}")
    print(f"deployment written to {out}")
