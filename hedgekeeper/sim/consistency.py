"""Chain against model: the same price path, option and policy run on chain (the pool, the perp, the keeper)
and in the numpy backtester (hedgekeeper.model), compared trade by trade and in PnL.

The chain run has no agents but one trader who buys `size` options at the start, a constant implied vol
(the surface agent reposts it unchanged), and the keeper with funding left out of its cost estimate (the
model charges a flat `trade_cost_rate`). The model writes the same option (quantity -size) at the same
implied vol and hedges on the same path with the same policy and cost rate.

Compared:
- hedge trades: the steps at which each side traded and the sizes (units of underlying);
- PnL: the chain's NAV change minus the option fees it received (the model charges none) against the
  model's final PnL. What the model leaves out (perp price impact and basis, funding on the skew, the
  fee schedule of the perp against a flat cost rate, the seconds between the step's reading and its trades)
  is the expected gap; the tolerance is stated relative to the model's gross PnL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from hedgekeeper.model.backtest import SECONDS_PER_YEAR, MarketModel, OptionPosition, run_backtest
from hedgekeeper.sim.engine import SimConfig, Simulation
from hedgekeeper.sim.scenarios import Scenario
from hedgekeeper.strategy.types import HedgePolicy

TRADE_COST_RATE = 0.0005
CENTRE = 4  # the at-the-money strike of the nearest board (nine strikes)
SIZE_TOLERANCE = 0.01  # relative, per trade (gaps under 1e-3 units are ignored)
PNL_TOLERANCE = 0.05  # of the model's gross PnL (sum of the absolute component totals)


@dataclass(frozen=True)
class Comparison:
    chain_trade_steps: list[int]
    model_trade_steps: list[int]
    chain_sizes: list[float]
    model_sizes: list[float]
    max_size_gap: float  # largest |chain - model| / max(|model|, 1e-3) over common trades
    chain_pnl: float
    model_pnl: float
    model_gross: float
    pnl_gap: float  # |chain - model| / model_gross

    @property
    def same_trades(self) -> bool:
        return self.chain_trade_steps == self.model_trade_steps

    @property
    def agrees(self) -> bool:
        return self.same_trades and self.max_size_gap <= SIZE_TOLERANCE and self.pnl_gap <= PNL_TOLERANCE

    def as_dict(self) -> dict[str, Any]:
        return {
            "chain_trades": len(self.chain_trade_steps), "model_trades": len(self.model_trade_steps), "same_trade_steps": self.same_trades,
            "max_size_gap": self.max_size_gap, "size_tolerance": SIZE_TOLERANCE, "chain_pnl": self.chain_pnl,
            "model_pnl": self.model_pnl, "model_gross_pnl": self.model_gross, "pnl_gap": self.pnl_gap, "pnl_tolerance": PNL_TOLERANCE,
            "agrees": self.agrees,
        }


def compare_chain_and_model(url: str, project: Any, chain: Any, deployer: Any, scenario: Scenario, policy: HedgePolicy, *,
                            steps: int = 24, step_seconds: float = 3_600.0, seed: int = 1, size: float = 20.0,
                            call: bool = True) -> Comparison:
    config = SimConfig(steps=steps, step_seconds=step_seconds, seed=seed, vol_reversion=0.0, agents=False,
                       opening_trade=(CENTRE, call, size),
                       keeper_overrides={"funding_horizon_days": 0.0, "trade_cost_rate": TRADE_COST_RATE})
    sim = Simulation(url, project, chain, deployer, scenario, policy, config)
    run = sim.run()
    board = run.boards[0]
    strike = board.strikes[CENTRE]
    expiry_years = (board.expiry - run.start) / SECONDS_PER_YEAR
    # chain trades at steps 0 .. steps; the model decides at steps 0 .. steps - 1
    chain_steps = [s for s in run.counters.hedge_steps if s < steps]
    chain_sizes = [z for s, z in zip(run.counters.hedge_steps, run.counters.hedge_sizes) if s < steps]

    path = sim.path.prices[None, :]
    dt = step_seconds / SECONDS_PER_YEAR
    option = OptionPosition(strike=strike, expiry_years=expiry_years, quantity=-size, call=call)
    market = MarketModel(implied_vol=float(scenario.implied_vol), cost_rate=TRADE_COST_RATE, funding_rate=0.0)
    res = run_backtest(path, dt, option, market, policy)
    assert res.steps is not None
    traded = np.nonzero(res.steps.trade_size[0] != 0)[0]
    model_steps = [int(i) for i in traded]
    model_sizes = [float(res.steps.trade_size[0, i]) for i in traded]
    gaps = [abs(c - m) / max(abs(m), 1e-3) for c, m in zip(chain_sizes, model_sizes) if abs(c - m) > 1e-3]
    # chain PnL up to the last price, excluding the trade at the final step (not in the model)
    nav = [r.nav for r in run.records]
    chain_pnl = (nav[-1] - nav[0]) - run.counters.fees - run.counters.lp_flows
    last = run.records[-1].pnl
    chain_pnl -= float(last.get("hedge_cost", 0.0)) if run.counters.hedge_steps and run.counters.hedge_steps[-1] == steps else 0.0
    model_pnl = float(res.final_pnl[0])
    gross = math.fsum(abs(float(v[0])) for k, v in res.totals.items() if k not in ("total", "residual"))
    return Comparison(chain_trade_steps=chain_steps, model_trade_steps=model_steps, chain_sizes=chain_sizes, model_sizes=model_sizes,
                      max_size_gap=max(gaps, default=0.0), chain_pnl=chain_pnl, model_pnl=model_pnl, model_gross=gross,
                      pnl_gap=abs(chain_pnl - model_pnl) / gross if gross > 0 else abs(chain_pnl - model_pnl))
