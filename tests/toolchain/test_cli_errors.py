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


def test_compile_error_is_one_line_with_location():
    from hedgekeeper.ape_session import compile_error_line

    message = (
        "(SolcCompileError) ParserError: Expected primary expression.\n"
        " --> contracts/Broken.sol:2:50:\n  |\n2 | contract Broken { uint x = ; }\n  |   ^\n"
    )
    line = compile_error_line(message)
    assert line == (
        "contracts do not compile: ParserError: Expected primary expression. at contracts/Broken.sol:2:50"
        " (run `make compile` for the full message)"
    )


def test_broken_contract_fails_in_one_line(tmp_path):
    """A real broken source in a scratch project compiled by the same path the commands use."""
    proj = tmp_path / "proj"
    (proj / "contracts").mkdir(parents=True)
    (proj / "ape-config.yaml").write_text("name: broken\ncontracts_folder: contracts\nsolidity:\n  version: 0.8.37\n")
    (proj / "contracts" / "Broken.sol").write_text(
        "pragma solidity 0.8.37;\ncontract Broken { function f() public { uint x = ; } }\n"
    )
    code = """
import sys
from hedgekeeper.toolchain import activate
activate()
from ape import Project
from hedgekeeper.ape_session import compile_project
from hedgekeeper.errors import HedgekeeperError
try:
    compile_project(Project(sys.argv[1]))
except HedgekeeperError as exc:
    print("error: " + str(exc))
    sys.exit(2)
"""
    result = subprocess.run([sys.executable, "-c", code, str(proj)], capture_output=True, text=True, cwd=repo_root(), timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "contracts do not compile: ParserError: Expected primary expression." in result.stdout
    assert "Broken.sol:2:50" in result.stdout
