"""The "theory" benchmark: the model backtester against closed forms with many paths (no chain)."""

from __future__ import annotations

from typing import Any

from hedgekeeper.model.theory import run_all


def measure(project: Any, accounts: Any) -> dict[str, Any]:
    return run_all(paths=20_000)
