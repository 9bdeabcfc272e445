"""The protocol as the simulator needs it, deployed with Ape: `deploy_protocol` (every contract, the option
boards, the pool's LP seed and hedge margin), then the simulation's own setup:

- the feed posts the scenario's first price; when it is more than `RECENTRE` away from the deployment's
  price, boards centred on it are listed at the same expiries (plus one hour) and the run trades those;
- the oracle's parameters are set by its admin to the simulation's (`sim_oracle_params`): no realized-vol
  floor under the posted surface and a one-minute smoothing half-life, so the pool prices at the vol the
  surface agent posts; then the scenario's implied vol is posted for every board;
- the keeper's own account gets the pool's KEEPER_ROLE.

Units: prices WAD on chain and quote per unit here; money in quote-token units (6 decimals) on chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import keccak

from hedgekeeper.deploy import deploy_protocol
from hedgekeeper.deploy_oracle import PARAMS as DEPLOYED_ORACLE_PARAMS
from hedgekeeper.deployment import Deployment
from hedgekeeper.pool_setup import WAD, default_strikes

KEEPER_ROLE = keccak(text="KEEPER_ROLE")
RECENTRE = 0.025


def sim_oracle_params() -> tuple[int, ...]:
    """IVolatilityOracleAdmin.OracleParams for the simulation, in field order."""
    p = dict(DEPLOYED_ORACLE_PARAMS)
    p.update(realizedFloorRatio=0, smoothingHalfLife=60, maxAtmChangePerPost=4 * WAD, maxSurfaceAge=7 * 86_400)
    return tuple(p.values())


@dataclass(frozen=True)
class Board:
    """A listed expiry the simulation trades: strike ids [first_strike_id, first_strike_id + len(strikes))."""

    expiry: int
    first_strike_id: int
    strikes: tuple[float, ...]  # quote per unit

    def holds(self, strike_id: int) -> bool:
        return self.first_strike_id <= strike_id < self.first_strike_id + len(self.strikes)


def deploy_for_simulation(project: Any, chain: Any, deployer: Any, keeper_address: str, implied_vol: float,
                          initial_price: float) -> tuple[Deployment, list[Board]]:
    """Deploy the protocol and set it up for a run; returns the deployment and the boards to trade."""
    dep = deploy_protocol(project, chain, deployer)
    feed = project.MockAggregator.at(dep.contract("MockAggregator").address)
    oracle = project.VolatilityOracle.at(dep.contract("VolatilityOracle").address)
    pool = project.OptionsPool.at(dep.contract("OptionsPool").address)
    market = project.OptionMarket.at(dep.contract("OptionMarket").address)
    decimals = int(feed.decimals())
    deployed_price = int(feed.latestRoundData()[1]) / 10**decimals
    feed.setAnswer(round(initial_price * 10**decimals), sender=deployer)
    oracle.setParams(sim_oracle_params(), sender=deployer)
    pool.grantRole(KEEPER_ROLE, keeper_address, sender=deployer)
    ids = [int(i) for i in market.activeBoards()]
    expiries = [int(market.board(i).expiry) for i in ids]
    if abs(initial_price / deployed_price - 1.0) > RECENTRE:
        strikes = default_strikes(int(initial_price * WAD), 9)
        for e in expiries:
            market.addBoard(e + 3_600, strikes, sender=deployer)
        ids = [int(i) for i in market.activeBoards()][len(ids):]
    boards = []
    for i in ids:
        b = market.board(i)
        strikes_f = tuple(int(market.strike(s).strikePrice) / WAD for s in range(int(b.firstStrikeId), int(b.firstStrikeId) + int(b.numStrikes)))
        boards.append(Board(expiry=int(b.expiry), first_strike_id=int(b.firstStrikeId), strikes=strikes_f))
    all_expiries = sorted({int(market.board(i).expiry) for i in market.activeBoards()})
    min_interval = int(dict(zip(DEPLOYED_ORACLE_PARAMS, sim_oracle_params()))["minPostInterval"])
    # after deploy_protocol's own post: mine an empty block that late (raw JSON-RPC, which any anvil
    # understands; Ape's generic node provider cannot set timestamps)
    chain.provider.make_request("evm_mine", [int(chain.blocks.head.timestamp) + min_interval + 1])
    oracle.postSurfaces([(e, int(round(implied_vol * WAD)), 0) for e in all_expiries], sender=deployer)
    params = dict(dep.parameters)
    params["simulation"] = {
        "boards": [{"expiry": b.expiry, "first_strike_id": b.first_strike_id, "strikes": list(b.strikes)} for b in boards],
        "keeper": keeper_address, "oracle_params": list(sim_oracle_params()),
    }
    return Deployment(chain_id=dep.chain_id, block=dep.block, deployer=dep.deployer, contracts=dep.contracts, parameters=params), boards
