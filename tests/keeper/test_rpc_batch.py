"""HttpJsonRpc.batch: one HTTP round trip, results matched to requests by id whatever order the node answers
in, and a failed request raises for that request."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from hedgekeeper.keeper.errors import RpcError
from hedgekeeper.keeper.rpc import HttpJsonRpc


class _Node(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self) -> None:  # noqa: N802
        type(self).posts += 1
        doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if isinstance(doc, list):
            answer: Any = [self._one(d) for d in reversed(doc)]  # out of order on purpose
        else:
            answer = self._one(doc)
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def _one(d: dict[str, Any]) -> dict[str, Any]:
        if d["method"] == "fail":
            return {"jsonrpc": "2.0", "id": d["id"], "error": {"code": 3, "message": "execution reverted", "data": "0x01"}}
        return {"jsonrpc": "2.0", "id": d["id"], "result": [d["method"], d["params"]]}

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def url():
    server = HTTPServer(("127.0.0.1", 0), _Node)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_batch_is_one_round_trip_in_request_order(url):
    rpc = HttpJsonRpc(url)
    before = _Node.posts
    out = rpc.batch([("a", [1]), ("b", []), ("c", ["x"])])
    assert out == [["a", [1]], ["b", []], ["c", ["x"]]]
    assert _Node.posts == before + 1
    assert rpc.request("d", [2]) == ["d", [2]]


def test_batch_raises_for_the_failed_request(url):
    rpc = HttpJsonRpc(url)
    with pytest.raises(RpcError) as info:
        rpc.batch([("a", []), ("fail", [])])
    assert info.value.method == "fail" and info.value.data == "0x01"
    with pytest.raises(RpcError):
        rpc.request("fail", [])
