"""Minimal JSON-RPC clients for the keeper's hot path: a persistent HTTP connection (no middleware), a
retrying wrapper (tenacity, exponential backoff) for transient failures, and the error mapping.

Transient: the connection failed, timed out, or the node answered 429/5xx: the request may or may not have
reached the node, so only idempotent uses are retried (every keeper request is: reads, and re-sending the
same signed transaction)."""

from __future__ import annotations

import http.client
import itertools
import json
import socket
import threading
from typing import Any, Protocol
from urllib.parse import urlsplit

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from hedgekeeper.keeper.errors import RpcError, TransientRpcError


class JsonRpc(Protocol):
    """Anything that performs one JSON-RPC request and returns its `result`."""

    def request(self, method: str, params: list[Any]) -> Any: ...


class HttpJsonRpc:
    """JSON-RPC over one keep-alive HTTP connection, reopened after any failure. Thread-safe."""

    def __init__(self, url: str, timeout_s: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        self.url = url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path or "/"
        self._timeout = timeout_s
        self._conn: http.client.HTTPConnection | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
            self._conn.connect()
            self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def request(self, method: str, params: list[Any]) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params})
        doc = self._post(method, body)
        if "error" in doc and doc["error"] is not None:
            err = doc["error"]
            raise RpcError(method, int(err.get("code", 0)), str(err.get("message", "")), err.get("data"))
        return doc.get("result")

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """The results of several requests sent as one JSON-RPC batch (one HTTP round trip), in order. For
        reads: the node may answer them in any order. Raises RpcError for the first request that failed."""
        ids = [next(self._ids) for _ in calls]
        body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in zip(ids, calls)])
        docs = self._post("batch", body)
        if not isinstance(docs, list):
            raise TransientRpcError(f"batch: not a batch answer: {str(docs)[:200]}")
        by_id = {d.get("id"): d for d in docs}
        out = []
        for i, (method, _) in zip(ids, calls):
            doc = by_id.get(i)
            if doc is None:
                raise TransientRpcError(f"{method}: missing from the batch answer")
            if doc.get("error") is not None:
                err = doc["error"]
                raise RpcError(method, int(err.get("code", 0)), str(err.get("message", "")), err.get("data"))
            out.append(doc.get("result"))
        return out

    def _post(self, method: str, body: str) -> Any:
        with self._lock:
            try:
                conn = self._connection()
                conn.request("POST", self._path, body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                raw = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
                raise TransientRpcError(f"{method}: {type(exc).__name__}: {exc}") from exc
        if status == 429 or status >= 500:
            raise TransientRpcError(f"{method}: HTTP {status}")
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TransientRpcError(f"{method}: unreadable answer ({exc})") from exc


class RetryingRpc:
    """Retries TransientRpcError with exponential backoff (first wait `base_wait_s`, doubling, at most
    `max_wait_s`) for at most `attempts` tries. `retries` counts the retries done (for metrics)."""

    def __init__(self, inner: JsonRpc, attempts: int = 6, base_wait_s: float = 0.005, max_wait_s: float = 1.0) -> None:
        self.inner = inner
        self.retries = 0
        self._retrying = Retrying(
            retry=retry_if_exception_type(TransientRpcError),
            wait=wait_exponential(multiplier=base_wait_s, min=base_wait_s, max=max_wait_s),
            stop=stop_after_attempt(attempts),
            before_sleep=self._count,
            reraise=True,
        )

    def _count(self, _state: Any) -> None:
        self.retries += 1

    def request(self, method: str, params: list[Any]) -> Any:
        return self._retrying(self.inner.request, method, params)


def build_rpc(url: str, attempts: int = 6, timeout_s: float = 10.0, wrap: Any = None) -> RetryingRpc:
    """HTTP transport (optionally wrapped by `wrap(transport)`, e.g. to inject faults) behind retries."""
    transport: JsonRpc = HttpJsonRpc(url, timeout_s=timeout_s)
    if wrap is not None:
        transport = wrap(transport)
    return RetryingRpc(transport, attempts=attempts)


def hex_int(value: str | int | None) -> int:
    if value is None:
        return 0
    return value if isinstance(value, int) else int(value, 16)
