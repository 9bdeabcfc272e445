"""The same sources compile with ape-solidity (through py-solc-x and the solc-js shim) and with forge,
to the same ABI and the same runtime code (metadata hash aside)."""

import json
import subprocess

from hedgekeeper.toolchain import repo_root


def _strip_metadata(code_hex: str) -> str:
    code = bytes.fromhex(code_hex.removeprefix("0x"))
    meta_len = int.from_bytes(code[-2:], "big")
    return code[: -(meta_len + 2)].hex()


def test_ape_and_forge_compile_the_same_contract(project):
    ape_type = project.MockStablecoin.contract_type
    root = repo_root()
    subprocess.run(["forge", "build", "--quiet"], cwd=root, check=True, capture_output=True)
    artifact = json.loads((root / ".forge/out/MockStablecoin.sol/MockStablecoin.json").read_text())
    ape_abi = sorted(getattr(item, "name", None) or item.type for item in ape_type.abi)
    forge_abi = sorted(item.get("name", item["type"]) for item in artifact["abi"])
    assert ape_abi == forge_abi
    ape_runtime = ape_type.runtime_bytecode.bytecode
    forge_runtime = artifact["deployedBytecode"]["object"]
    assert _strip_metadata(ape_runtime) == _strip_metadata(forge_runtime)


def test_solc_shim_reports_errors_with_location(tmp_path):
    shim = repo_root() / ".solcx" / "solc-v0.8.37"
    source = "pragma solidity 0.8.37;\ncontract Broken { function f() public { uint x = ; } }\n"
    request = {"language": "Solidity", "sources": {"Broken.sol": {"content": source}}, "settings": {"outputSelection": {"*": {"*": ["abi"]}}}}
    out = subprocess.run([str(shim), "--standard-json"], input=json.dumps(request), capture_output=True, text=True, check=True)
    errors = json.loads(out.stdout)["errors"]
    assert any(e["severity"] == "error" and "Broken.sol:2" in e["formattedMessage"] for e in errors)


def test_solc_shim_handles_large_output():
    """Large stdout (beyond a 64 KiB pipe buffer) arrives whole: the OpenZeppelin ERC20 with full output."""
    shim = repo_root() / ".solcx" / "solc-v0.8.37"
    root = repo_root()
    request = {
        "language": "Solidity",
        "sources": {"contracts/mocks/MockStablecoin.sol": {"urls": ["contracts/mocks/MockStablecoin.sol"]}},
        "settings": {"remappings": ["@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/"], "outputSelection": {"*": {"*": ["*"], "": ["ast"]}}},
    }
    out = subprocess.run([str(shim), "--standard-json", "--base-path", str(root)], input=json.dumps(request), capture_output=True, text=True, check=True, cwd=root)
    assert len(out.stdout) > 65536
    result = json.loads(out.stdout)
    assert "MockStablecoin" in result["contracts"]["contracts/mocks/MockStablecoin.sol"]
