"""deploy_protocol deploys and wires the pool; a trade, the keeper's snapshot and a hedge work on the result
(py-evm, and on anvil in the anvil run)."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from hedgekeeper.deploy import BOARD_EXPIRY_DAYS, POOL_HEDGE_MARGIN, POOL_LP_SEED, STRIKES_PER_BOARD, deploy_protocol
from hedgekeeper.pool_setup import QUOTE, WAD

MAX = 2**256 - 1


def _exercise(project, chain, deployer, trader):
    dep = deploy_protocol(project, chain, deployer)
    for name in ("OptionsPool", "OptionMarket", "VolatilityOracle", "PerpMarket"):
        assert name in dep.contracts
    pool = project.OptionsPool.at(dep.contract("OptionsPool").address)
    market = project.OptionMarket.at(dep.contract("OptionMarket").address)
    quote = project.MockStablecoin.at(dep.contract("MockStablecoin").address)
    assert pool.market() == market.address
    assert pool.hasRole(keccak(text="KEEPER_ROLE"), deployer)
    assert pool.hasRole(keccak(text="LISTER_ROLE"), deployer)
    assert len(market.activeBoards()) == len(BOARD_EXPIRY_DAYS)
    assert market.board(0).numStrikes == STRIKES_PER_BOARD
    assert pool.nav() == POOL_LP_SEED
    assert pool.hedgeAccount().margin == POOL_HEDGE_MARGIN

    quote.mint(trader, 100_000 * QUOTE, sender=deployer)
    quote.approve(pool, MAX, sender=trader)
    atm = STRIKES_PER_BOARD // 2
    tx = market.openPosition(atm, True, True, 10 * WAD, 0, MAX, chain.pending_timestamp + 600, sender=trader)
    assert not tx.failed
    pool.refreshGreeks(sender=deployer)
    snap = pool.keeperSnapshot()
    assert snap.optionsDelta < 0 and snap.nearestExpiry == market.board(0).expiry
    pool.hedge(-snap.netDelta, 3_000 * WAD, chain.pending_timestamp + 600, sender=deployer)
    assert pool.keeperSnapshot().netDelta == 0


def test_deploy_protocol_wires_the_pool(project, chain, deployer, accounts):
    _exercise(project, chain, deployer, accounts[4])


@pytest.mark.anvil
def test_deploy_protocol_wires_the_pool_on_anvil(project, chain, deployer, accounts):
    assert chain.provider.name == "foundry"
    _exercise(project, chain, deployer, accounts[4])
