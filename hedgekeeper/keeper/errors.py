"""Errors of the keeper runtime. All derive from HedgekeeperError so the command line prints one line."""

from __future__ import annotations

from hedgekeeper.errors import ConfigError, HedgekeeperError

__all__ = ["ConfigError", "RpcError", "TransientRpcError", "ExecutionError", "HedgePendingError"]


class RpcError(HedgekeeperError):
    """The node answered a JSON-RPC request with an error object."""

    def __init__(self, method: str, code: int, message: str, data: object = None) -> None:
        super().__init__(f"{method}: {message} (code {code})")
        self.method = method
        self.code = code
        self.message = message
        self.data = data


class TransientRpcError(HedgekeeperError):
    """The request may not have reached the node, or its answer was lost: safe to retry."""


class ExecutionError(HedgekeeperError):
    """A transaction could not be sent (rejected by the node for a reason that retrying will not fix)."""


class HedgePendingError(HedgekeeperError):
    """A hedge was requested while another hedge transaction is still pending."""
