# Single entry point. Every target installs what it needs first (see tools/setup.sh).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/.venv/bin:$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export MPLBACKEND := Agg
export PYTHONPATH := $(CURDIR)

.PHONY: setup compile simulate deploy test test-unit test-anvil test-forge bench gas-snapshot clean

setup:
	@bash tools/setup.sh

compile: setup
	@ape compile

## The main job: start anvil, deploy the protocol, run the default scenario with traders, LPs, liquidators,
## an arbitrageur and the hedging keeper, and write the report to reports/latest.
simulate: setup
	@hedgekeeper simulate --out reports/latest

## Start anvil, deploy the protocol, print what was deployed.
deploy: setup
	@hedgekeeper deploy

## The whole test suite: forge fuzz and invariant tests, then Ape/pytest tests on anvil, then on py-evm.
test: setup
	@forge test
	@ape compile >/dev/null
	@ape test tests -m anvil -q --network ethereum:local:foundry
	@ape test tests -m "not anvil" -q

bench: setup
	@python -m hedgekeeper.bench

gas-snapshot: setup
	@python -m hedgekeeper.bench --write-gas-snapshot

clean:
	rm -rf .build .forge contracts/.cache .stamps
