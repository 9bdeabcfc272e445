"""The deployment file: addresses, ABIs, chain id and block of a deployed protocol, written by the deploy
step and read by the keeper and the simulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from hedgekeeper.errors import DeploymentError


class DeployedContract(BaseModel):
    address: str
    abi: list[dict[str, Any]]


class Deployment(BaseModel):
    chain_id: int
    block: int
    deployer: str
    contracts: dict[str, DeployedContract]
    parameters: dict[str, Any] = {}

    def contract(self, name: str) -> DeployedContract:
        try:
            return self.contracts[name]
        except KeyError:
            raise DeploymentError(f"deployment has no contract named {name!r} (has: {', '.join(sorted(self.contracts))})") from None

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2))
        return path

    @classmethod
    def read(cls, path: Path, expect_chain_id: int | None = None) -> "Deployment":
        if not path.is_file():
            raise DeploymentError(f"deployment file not found: {path} (run `hedgekeeper deploy` first)")
        try:
            dep = cls.model_validate(json.loads(path.read_text()))
        except (json.JSONDecodeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise DeploymentError(f"deployment file {path} is malformed: {first}") from exc
        if expect_chain_id is not None and dep.chain_id != expect_chain_id:
            raise DeploymentError(
                f"deployment file {path} is for chain id {dep.chain_id} but the node reports {expect_chain_id}"
            )
        return dep
