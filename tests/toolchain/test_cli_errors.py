"""The command line fails with one clear line, not a traceback: missing anvil, busy port, no node."""

import os
import socket
import subprocess
import sys

from hedgekeeper.toolchain import repo_root


def _run(args, env=None):
    return subprocess.run([sys.executable, "-m", "hedgekeeper.cli", *args], capture_output=True, text=True, cwd=repo_root(), env=env, timeout=300)


def _assert_one_clear_line(result, *needles):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ")
    for needle in needles:
        assert needle in line


def test_missing_anvil_is_one_line(tmp_path):
    env = dict(os.environ)
    # A PATH with python but without the project's node_modules/.bin or any anvil.
    env["PATH"] = os.path.dirname(sys.executable)
    env["HEDGEKEEPER_NODE_BIN"] = str(tmp_path / "no-such-dir")
    result = _run(["deploy"], env=env)
    _assert_one_clear_line(result, "anvil", "make setup")


def test_busy_port_is_one_line():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        result = _run(["deploy", "--port", str(port)])
    _assert_one_clear_line(result, f"port {port} is busy")


def test_unreachable_node_is_one_line():
    result = _run(["deploy", "--rpc", "http://127.0.0.1:9"])
    _assert_one_clear_line(result, "no Ethereum node answers")
