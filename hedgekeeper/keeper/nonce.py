"""One nonce manager per keeper account (pymaker's lesson): the nonce comes from the pending block at start,
then local increments under a lock; `resync()` re-reads it after "nonce too low" or a restart."""

from __future__ import annotations

import threading

from hedgekeeper.keeper.rpc import JsonRpc, hex_int


class NonceManager:
    def __init__(self, rpc: JsonRpc, address: str) -> None:
        self.rpc = rpc
        self.address = address
        self._lock = threading.Lock()
        self._next: int | None = None
        self.resyncs = 0

    def _pending_count(self) -> int:
        return hex_int(self.rpc.request("eth_getTransactionCount", [self.address, "pending"]))

    def resync(self) -> int:
        """Re-read the next nonce from the node's pending state."""
        with self._lock:
            self._next = self._pending_count()
            self.resyncs += 1
            return self._next

    def reserve(self) -> int:
        """The next nonce, reserved for one transaction."""
        with self._lock:
            if self._next is None:
                self._next = self._pending_count()
            nonce = self._next
            self._next += 1
            return nonce

    def release(self, nonce: int) -> None:
        """Give back the most recently reserved nonce when its transaction never reached the node."""
        with self._lock:
            if self._next is not None and nonce == self._next - 1:
                self._next = nonce
