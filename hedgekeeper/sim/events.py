"""Decode the protocol's event logs (from a receipt or eth_getLogs) by the ABIs in the deployment file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import decode
from eth_utils import keccak, to_checksum_address

from hedgekeeper.deployment import Deployment


def _type_of(param: dict[str, Any]) -> str:
    t = str(param["type"])
    if t.startswith("tuple"):
        return "(" + ",".join(_type_of(c) for c in param["components"]) + ")" + t[len("tuple"):]
    return t


@dataclass(frozen=True)
class Event:
    contract: str  # deployment name of the emitting contract
    name: str
    args: dict[str, Any]
    block: int


class EventDecoder:
    """Decodes logs of the named contracts; logs of other addresses or unknown topics are skipped."""

    def __init__(self, deployment: Deployment, names: tuple[str, ...]) -> None:
        self._by_address: dict[str, str] = {}
        self._events: dict[tuple[str, bytes], tuple[str, list[dict[str, Any]]]] = {}
        for name in names:
            c = deployment.contract(name)
            self._by_address[to_checksum_address(c.address)] = name
            for item in c.abi:
                if item.get("type") != "event":
                    continue
                sig = f"{item['name']}({','.join(_type_of(p) for p in item.get('inputs', []))})"
                self._events[(name, keccak(text=sig))] = (item["name"], list(item.get("inputs", [])))

    @property
    def addresses(self) -> list[str]:
        return list(self._by_address)

    def decode(self, log: dict[str, Any]) -> Event | None:
        contract = self._by_address.get(to_checksum_address(log["address"]))
        topics = log.get("topics") or []
        if contract is None or not topics:
            return None
        found = self._events.get((contract, bytes.fromhex(str(topics[0])[2:])))
        if found is None:
            return None
        name, inputs = found
        indexed = [p for p in inputs if p.get("indexed")]
        plain = [p for p in inputs if not p.get("indexed")]
        data = bytes.fromhex(str(log.get("data", "0x"))[2:])
        values = decode([_type_of(p) for p in plain], data) if plain else ()
        args: dict[str, Any] = {p["name"]: v for p, v in zip(plain, values)}
        for p, topic in zip(indexed, topics[1:]):
            raw = bytes.fromhex(str(topic)[2:])
            args[p["name"]] = decode([_type_of(p)], raw)[0] if not str(p["type"]).endswith("[]") else raw
        return Event(contract, name, args, int(str(log.get("blockNumber", "0x0")), 16))

    def decode_all(self, logs: list[dict[str, Any]]) -> list[Event]:
        return [e for e in (self.decode(log) for log in logs) if e is not None]
