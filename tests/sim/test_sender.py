"""The simulator's lean signer gives byte for byte the transaction eth_account signs from the same fields."""

from __future__ import annotations

import numpy as np
from eth_account import Account

from hedgekeeper.sim.sender import mnemonic_account, sign_eip1559


def test_lean_signer_matches_eth_account() -> None:
    rng = np.random.default_rng(5)
    for i in range(12):
        acct = mnemonic_account(i % 4)
        to = Account.from_key(bytes(rng.integers(1, 256, 32, dtype=np.uint8))).address
        data = "0x" + bytes(rng.integers(0, 256, int(rng.integers(0, 300)), dtype=np.uint8)).hex()
        nonce, gas = int(rng.integers(0, 2**40)), int(rng.integers(21_000, 30_000_000))
        max_fee, prio, value = int(rng.integers(0, 2**62)) * (i % 3), int(rng.integers(0, 10**9)) * (i % 2), int(rng.integers(0, 2**62)) * (i % 2)
        tx = {"type": 2, "chainId": 31337 + i, "nonce": nonce, "to": to, "data": data, "value": value, "gas": gas,
              "maxFeePerGas": max_fee + prio, "maxPriorityFeePerGas": prio}
        expected = "0x" + bytes(acct.sign_transaction(tx).raw_transaction).hex().removeprefix("0x")
        assert sign_eip1559(acct, 31337 + i, nonce, to, data, gas, max_fee + prio, prio, value) == expected
