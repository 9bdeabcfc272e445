"""Helpers for the keeper's chain tests: a funded keeper key, raw JSON-RPC reads, a fault-injecting
transport, and a deployment file for contracts deployed with Ape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eth_account import Account

from hedgekeeper.deployment import DeployedContract, Deployment
from hedgekeeper.keeper.errors import TransientRpcError
from hedgekeeper.keeper.rpc import JsonRpc, hex_int

MNEMONIC = "test test test test test test test test test test test junk"
Account.enable_unaudited_hdwallet_features()


def mnemonic_key(index: int) -> str:
    """Private key of the mnemonic's account `index` (funded by anvil, unused by Ape's fixtures above 5)."""
    return "0x" + bytes(Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key).hex().removeprefix("0x")


def nonce_of(rpc: JsonRpc, address: str) -> int:
    return hex_int(rpc.request("eth_getTransactionCount", [address, "latest"]))


class FlakyRpc:
    """Fails every `every_before`-th request before it reaches the node, and every `every_after`-th request
    after the node has handled it (the answer is lost). Counts what it broke."""

    def __init__(self, inner: JsonRpc, every_before: int = 0, every_after: int = 0) -> None:
        self.inner = inner
        self.every_before = every_before
        self.every_after = every_after
        self.calls = 0
        self.failed_before = 0
        self.failed_after = 0
        self.failed_methods: list[str] = []

    def request(self, method: str, params: list[Any]) -> Any:
        self.calls += 1
        if self.every_before and self.calls % self.every_before == 0:
            self.failed_before += 1
            self.failed_methods.append(method)
            raise TransientRpcError(f"{method}: injected connection reset")
        result = self.inner.request(method, params)
        if self.every_after and self.calls % self.every_after == 0:
            self.failed_after += 1
            self.failed_methods.append(method)
            raise TransientRpcError(f"{method}: injected lost answer")
        return result


def describe(contract: Any) -> DeployedContract:
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
    return DeployedContract(address=str(contract.address), abi=abi)


def write_deployment(path: Path, chain_id: int, deployer: str, contracts: dict[str, Any]) -> Path:
    dep = Deployment(chain_id=chain_id, block=0, deployer=deployer, contracts={n: describe(c) for n, c in contracts.items()})
    return dep.write(path)
