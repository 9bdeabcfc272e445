"""The protocol as the simulator needs it, deployed with Ape: `deploy_protocol` (every contract, the option
boards, the pool's LP seed and hedge margin), then the simulation's own setup:

- the feed posts the scenario's first price, and the run's own boards are listed: `EXPIRY_DAYS` after the
  start of the run, nine strikes 5% apart centred on that price (so every time of the run, expiries
  included, is an exact offset from its start);
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
EXPIRY_DAYS = (7.0, 14.0)  # the simulation's boards, days after the start of the run


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
                          initial_price: float, start_time: int, expiry_days: tuple[float, ...] = EXPIRY_DAYS,
                          strikes_per_board: int = 9) -> tuple[Deployment, list[Board]]:
    """Deploy the protocol and set it up for a run starting at `start_time` (unix seconds); returns the
    deployment and the boards to trade: `expiry_days` after the start, strikes centred on `initial_price`
    (the deployment's own boards stay listed, unused: their expiries depend on when it ran)."""
    dep = deploy_protocol(project, chain, deployer)
    feed = project.MockAggregator.at(dep.contract("MockAggregator").address)
    oracle = project.VolatilityOracle.at(dep.contract("VolatilityOracle").address)
    pool = project.OptionsPool.at(dep.contract("OptionsPool").address)
    market = project.OptionMarket.at(dep.contract("OptionMarket").address)
    decimals = int(feed.decimals())
    feed.setAnswer(round(initial_price * 10**decimals), sender=deployer)
    oracle.setParams(sim_oracle_params(), sender=deployer)
    pool.grantRole(KEEPER_ROLE, keeper_address, sender=deployer)
    listed = len(market.activeBoards())
    strikes = default_strikes(int(round(initial_price * WAD)), strikes_per_board)
    for days in expiry_days:
        market.addBoard(int(start_time + days * 86_400), strikes, sender=deployer)
    boards = []
    for i in [int(i) for i in market.activeBoards()][listed:]:
        b = market.board(i)
        first, n = int(b.firstStrikeId), int(b.numStrikes)
        prices = tuple(int(market.strike(s).strikePrice) / WAD for s in range(first, first + n))
        boards.append(Board(expiry=int(b.expiry), first_strike_id=first, strikes=prices))
    oracle.postSurfaces([(b.expiry, int(round(implied_vol * WAD)), 0) for b in boards], sender=deployer)
    params = dict(dep.parameters)
    params["simulation"] = {
        "boards": [{"expiry": b.expiry, "first_strike_id": b.first_strike_id, "strikes": list(b.strikes)} for b in boards],
        "keeper": keeper_address, "oracle_params": list(sim_oracle_params()),
    }
    return Deployment(chain_id=dep.chain_id, block=dep.block, deployer=dep.deployer, contracts=dep.contracts, parameters=params), boards
