"""Where the project's own toolchain lives: the repository root, node_modules/.bin (anvil, forge) and the
solc-js shim registered for py-solc-x. `activate()` puts them on this process's environment so Ape and
its plugins find them whatever shell the user started from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hedgekeeper.errors import ToolchainError

SOLC_VERSION = "0.8.37"


def repo_root() -> Path:
    """The repository root: the folder holding ape-config.yaml above this package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent, *here.parents):
        if (candidate / "ape-config.yaml").is_file():
            return candidate
    raise ToolchainError("cannot find the project root (no ape-config.yaml above the hedgekeeper package)")


def activate() -> Path:
    """Prepend the project's node_modules/.bin (or $HEDGEKEEPER_NODE_BIN) to PATH and point py-solc-x at the
    solc-js shim. Idempotent. Returns the repository root."""
    root = repo_root()
    bin_dir = os.environ.get("HEDGEKEEPER_NODE_BIN", str(root / "node_modules" / ".bin"))
    path = os.environ.get("PATH", "")
    if bin_dir not in path.split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + path
    os.environ.setdefault("SOLCX_BINARY_PATH", str(root / ".solcx"))
    return root


def require_tool(name: str) -> str:
    """Absolute path of `name` on the (activated) PATH, or a ToolchainError that says how to install it."""
    activate()
    found = shutil.which(name)
    if found is None:
        raise ToolchainError(f"`{name}` not found: run `make setup` (it installs {name} from npm into node_modules)")
    return found


def require_solc() -> Path:
    """The solc-js shim registered for py-solc-x, checked to exist and to have its compiler installed."""
    root = activate()
    shim = root / ".solcx" / f"solc-v{SOLC_VERSION}"
    if not shim.is_file():
        raise ToolchainError(f"solc shim missing at {shim}: run `make setup`")
    if not (root / "node_modules" / "solc").is_dir():
        raise ToolchainError("solc-js is not installed: run `make setup` (npm ci)")
    return shim
