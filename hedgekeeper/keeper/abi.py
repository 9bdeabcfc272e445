"""ABI encoding and decoding for the contracts in the deployment file (eth-abi, no web3 middleware)."""

from __future__ import annotations

from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from hedgekeeper.errors import DeploymentError


def abi_type(param: dict[str, Any]) -> str:
    t = str(param["type"])
    if t.startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in param["components"]) + ")" + t[len("tuple"):]
    return t


def _names_of(param: dict[str, Any]) -> Any:
    return [(c.get("name", ""), _names_of(c)) for c in param.get("components", [])]


class ContractCodec:
    """Calldata and return values of one contract's functions, and its custom errors by selector."""

    def __init__(self, name: str, address: str, abi: list[dict[str, Any]]) -> None:
        self.name = name
        self.address = to_checksum_address(address)
        self._functions: dict[str, dict[str, Any]] = {}
        self._errors: dict[bytes, tuple[str, list[str], list[str]]] = {}
        for item in abi:
            kind = item.get("type")
            inputs = [abi_type(p) for p in item.get("inputs", [])]
            if kind == "function":
                self._functions.setdefault(item["name"], item)
            elif kind == "error":
                sel = function_signature_to_4byte_selector(f"{item['name']}({','.join(inputs)})")
                self._errors[sel] = (item["name"], inputs, [p.get("name", "") for p in item.get("inputs", [])])

    def has(self, fn: str) -> bool:
        return fn in self._functions

    def _fn(self, fn: str) -> dict[str, Any]:
        try:
            return self._functions[fn]
        except KeyError:
            raise DeploymentError(f"contract {self.name} has no function {fn}() in the deployment's ABI") from None

    def encode(self, fn: str, *args: Any) -> str:
        """0x-prefixed calldata of `fn(*args)`."""
        item = self._fn(fn)
        types = [abi_type(p) for p in item.get("inputs", [])]
        selector = function_signature_to_4byte_selector(f"{fn}({','.join(types)})")
        return "0x" + (selector + encode(types, list(args))).hex()

    def decode(self, fn: str, data: str | bytes) -> tuple[Any, ...]:
        """Return values of `fn` from raw eth_call output."""
        item = self._fn(fn)
        types = [abi_type(p) for p in item.get("outputs", [])]
        raw = bytes.fromhex(data[2:]) if isinstance(data, str) else data
        return tuple(decode(types, raw))

    def output_fields(self, fn: str) -> list[str]:
        """Field names of `fn`'s single tuple output (e.g. a struct), in order."""
        outs = self._fn(fn).get("outputs", [])
        if len(outs) != 1 or not str(outs[0]["type"]).startswith("tuple"):
            raise DeploymentError(f"{self.name}.{fn}() does not return one struct")
        return [c["name"] for c in outs[0]["components"]]

    def describe_revert(self, data: str | None) -> str:
        """`ErrorName(arg=value, ...)` for a custom error this contract declares, else the raw selector."""
        if not data or not isinstance(data, str) or len(data) < 10:
            return "reverted without data"
        sel = bytes.fromhex(data[2:10])
        if sel in self._errors:
            name, types, names = self._errors[sel]
            try:
                values = decode(types, bytes.fromhex(data[10:]))
            except Exception:  # malformed payload: name only
                return f"{name}(...)"
            return f"{name}(" + ", ".join(f"{n}={v}" for n, v in zip(names, values)) + ")"
        if sel == bytes.fromhex("08c379a0"):
            return "Error(" + str(decode(["string"], bytes.fromhex(data[10:]))[0]) + ")"
        return f"reverted with {data[:10]}"
