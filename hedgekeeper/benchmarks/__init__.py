"""Benchmarks printed by `make bench`.

Gas benchmarks are functions `(project, accounts) -> dict[str, int]` run on Ape's in-process py-evm chain
(deterministic gas); their union is compared with the committed gas-snapshot.json by the test suite.
Other benchmarks are functions `(project, accounts) -> dict[str, object]`, also called while Ape is
connected to py-evm; one that needs anvil or plain web3.py starts what it needs itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hedgekeeper.benchmarks import (
    accuracy_pricing,
    gas_mocks,
    gas_oracle,
    gas_perp,
    gas_pool,
    gas_pricing,
    keeper_latency,
    oracle_accuracy,
    perp_cascade,
    simulation,
    theory,
)

GasBenchmark = Callable[[Any, Any], dict[str, int]]
OtherBenchmark = Callable[[Any, Any], dict[str, Any]]

GAS_BENCHMARKS: list[GasBenchmark] = [
    gas_mocks.measure,
    gas_pricing.measure,
    gas_oracle.measure,
    gas_perp.measure,
    gas_pool.measure,
]

# name of the section in the JSON document -> benchmark
OTHER_BENCHMARKS: dict[str, OtherBenchmark] = {
    "pricing_accuracy": accuracy_pricing.measure,
    "oracle_accuracy": oracle_accuracy.measure,
    "perp_cascade": perp_cascade.measure,
    "theory": theory.measure,
    "keeper_latency": keeper_latency.measure,
    "simulation": simulation.measure,
}
