"""Start and stop a local anvil node for the command line and the simulator."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from types import TracebackType

from hedgekeeper.errors import ChainError
from hedgekeeper.toolchain import require_tool

DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS reports free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def rpc_chain_id(url: str, timeout_s: float = 2.0) -> int:
    """eth_chainId of the node at `url`, or ChainError when it does not answer."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return int(json.loads(resp.read())["result"], 16)
    except (urllib.error.URLError, OSError, KeyError, ValueError) as exc:
        raise ChainError(f"no Ethereum node answers at {url} ({exc})") from exc


@dataclass
class AnvilNode:
    """A running anvil process. Use as a context manager; `stop()` is idempotent."""

    port: int = 0
    chain_id: int = 31337
    accounts: int = 20
    balance_eth: int = 1_000_000
    block_base_fee: int = 0
    extra_args: list[str] = field(default_factory=list)
    _proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout_s: float = 30.0) -> "AnvilNode":
        anvil = require_tool("anvil")
        if self.port == 0:
            self.port = free_port()
        elif not port_is_free(self.port):
            raise ChainError(
                f"port {self.port} is busy: stop whatever listens there or choose another port (--port)"
            )
        cmd = [
            anvil,
            "--port", str(self.port),
            "--chain-id", str(self.chain_id),
            "--accounts", str(self.accounts),
            "--balance", str(self.balance_eth),
            "--mnemonic", DEFAULT_MNEMONIC,
            "--base-fee", str(self.block_base_fee),
            "--gas-price", "0",
            "--hardfork", "cancun",
            "--silent",
            *self.extra_args,
        ]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + ready_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = (self._proc.stderr.read() if self._proc.stderr else b"").decode(errors="replace").strip()
                raise ChainError(f"anvil exited at start (code {self._proc.returncode}): {err.splitlines()[-1] if err else 'no output'}")
            try:
                rpc_chain_id(self.url, timeout_s=0.5)
                return self
            except ChainError:
                time.sleep(0.05)
        self.stop()
        raise ChainError(f"anvil did not answer on {self.url} within {ready_timeout_s:.0f} s")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def __enter__(self) -> "AnvilNode":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
