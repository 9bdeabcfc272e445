"""Connect Ape to a node for the command line: either an anvil started here, or a node at a given URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hedgekeeper.anvil import AnvilNode, rpc_chain_id
from hedgekeeper.errors import ChainError, HedgekeeperError, ToolchainError
from hedgekeeper.toolchain import activate, require_solc


@dataclass
class ApeSession:
    """What a command needs from Ape once connected."""

    url: str
    project: Any
    chain: Any
    accounts: list[Any]
    node: AnvilNode | None


def compile_error_line(message: str) -> str:
    """One line from a solc error message: the error and its `file:line:col` location."""
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    error = next((ln for ln in lines if "Error" in ln), lines[0] if lines else "unknown compiler error")
    error = error.split(") ", 1)[-1] if error.startswith("(") else error
    location = next((ln.removeprefix("-->").strip().rstrip(":") for ln in lines if ln.startswith("-->")), None)
    where = f" at {location}" if location else ""
    return f"contracts do not compile: {error}{where} (run `make compile` for the full message)"


def compile_project(project: Any) -> None:
    """Compile every contract up front so a broken source fails here, in one clear line."""
    try:
        project.load_contracts()
    except Exception as exc:  # ape-solidity raises several types (SolcCompileError, CompilerError)
        raise ToolchainError(compile_error_line(str(exc))) from exc


@contextmanager
def ape_session(rpc_url: str | None = None, port: int = 0) -> Iterator[ApeSession]:
    """Start anvil (when `rpc_url` is None) or check the node at `rpc_url`, then connect Ape to it."""
    activate()
    require_solc()
    from ape import project as ape_project
    from ape.logging import logger

    logger.set_level("WARNING")
    compile_project(ape_project)
    node: AnvilNode | None = None
    if rpc_url is None:
        node = AnvilNode(port=port).start()
        url = node.url
    else:
        rpc_chain_id(rpc_url)  # clear error when nothing answers
        url = rpc_url
    try:
        from ape import accounts, chain, networks, project
        from ape.exceptions import ApeException

        try:
            with networks.parse_network_choice(url):
                yield ApeSession(url=url, project=project, chain=chain, accounts=list(accounts.test_accounts), node=node)
        except ApeException as exc:
            if isinstance(exc, HedgekeeperError):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ChainError(f"{type(exc).__name__}: {first}") from exc
    finally:
        if node is not None:
            node.stop()
