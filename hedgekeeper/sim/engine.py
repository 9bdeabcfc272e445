"""The on-chain simulation: deploy with Ape, then drive a price path step by step on anvil with agents and
the keeper, all transactions through the lean sender, and read the protocol once per step.

One step at chain time start + i x step_seconds, in this fixed order:
  1. price agent: the feed posts the scenario price, the oracle folds it in, the pool's greeks are refreshed;
  2. liquidator (perp accounts and short options), arbitrageur (mark toward index), perp traders,
     liquidity providers, option traders;
  3. the keeper: one cycle of its own reader, decide step and executor (hedge, margin, greeks, settlement);
  4. reading of the protocol (one eth_call for the keeper snapshot, a few views, one eth_getLogs);
  5. surface agent: posts the ATM vol for the next step (moved toward the oracle's realized vol).
Blocks are stamped one second apart (anvil_setBlockTimestampInterval), so a seed fixes every number."""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from hedgekeeper.deployment import Deployment
from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.logs import configure_logging
from hedgekeeper.keeper.rpc import HttpJsonRpc, hex_int
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.keeper.units import from_quote, from_wad, to_wad
from hedgekeeper.sim.agents import (
    Arbitrageur,
    Liquidator,
    LiquidityProvider,
    OptionTrader,
    PerpTrader,
    World,
    fund,
)
from hedgekeeper.sim.events import EventDecoder
from hedgekeeper.sim.protocol import Board, deploy_for_simulation
from hedgekeeper.sim.replay import TxLog
from hedgekeeper.sim.report import StepRecord
from hedgekeeper.sim.scenarios import Scenario
from hedgekeeper.sim.sender import (
    TxSender,
    fix_block_interval,
    head_timestamp,
    mnemonic_account,
    release_block_interval,
    set_next_timestamp,
)
from hedgekeeper.sim.steps import Reading, StepBuilder
from hedgekeeper.strategy.types import HedgePolicy

SECONDS_PER_YEAR = 365.0 * 86_400.0
DEPLOY_LEAD_S = 3_600  # the run starts this long after the chain time at deployment
KEEPER_ACCOUNT, LIQUIDATOR_ACCOUNT, ARB_ACCOUNT = 1, 2, 3
LP_ACCOUNTS = (4, 5)
OPTION_TRADER_ACCOUNTS = (6, 7, 8, 9)
PERP_TRADER_ACCOUNTS = (10, 11, 12, 13, 14, 15)
MIN_STEP_SECONDS = 300


class SimulationError(HedgekeeperError):
    """The simulation's inputs are inconsistent or the chain did not behave as the run expects."""


@dataclass(frozen=True)
class SimConfig:
    """A run. `agents=False` leaves only one option trade at the start (`opening_trade`), the keeper and
    the price and surface agents: the setting of the chain-versus-model check."""

    steps: int = 96
    step_seconds: float = 3_600.0
    seed: int = 1
    vol_reversion: float = 0.05  # fraction of the gap to realized vol the surface agent closes per step
    max_vol_move: float = 0.01  # per step
    agents: bool = True
    opening_trade: tuple[int, bool, float] | None = None  # (strike index on the nearest board, call, size the trader buys)
    keeper_overrides: dict[str, Any] = field(default_factory=dict)
    record: bool = False  # snapshot the node after deployment and log every transaction sent after it (see replay.py)

    def check(self) -> None:
        if self.steps < 1:
            raise SimulationError(f"--steps must be >= 1, got {self.steps}")
        if not (self.step_seconds >= MIN_STEP_SECONDS and math.isfinite(self.step_seconds)) or self.step_seconds != int(self.step_seconds):
            raise SimulationError(f"--step-seconds must be a whole number >= {MIN_STEP_SECONDS}, got {self.step_seconds:g}")
        if not 0.0 <= self.vol_reversion <= 1.0:
            raise SimulationError(f"vol reversion must be in [0, 1], got {self.vol_reversion}")


@dataclass
class Counters:
    """Cumulative money flows and events since the start (quote; counts)."""

    fees: float = 0.0  # option fees received by the pool (opens and closes)
    hedge_cost: float = 0.0  # -(perp fee) + size x (index - fill) per hedge trade
    liquidation: float = 0.0  # LP share of short-option liquidation penalties minus shortfalls borne by LPs
    lp_flows: float = 0.0  # deposits - withdrawals paid out
    option_liquidations: int = 0
    perp_liquidations: int = 0
    hedge_trades: int = 0
    hedge_sizes: list[float] = field(default_factory=list)
    hedge_steps: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ChainState:
    """The views read once per step (raw on-chain integers)."""

    findex: int  # PerpMarket.fundingIndex
    snapshot: tuple[int, ...]  # OptionsPool.keeperSnapshot, in its output order
    nav: int  # OptionsPool.nav (quote units)
    supply: int  # OptionsPool.totalSupply (shares, WAD)
    realized_vol: int | None  # VolatilityOracle.realizedVol (WAD), when read


@dataclass
class SimRun:
    records: list[StepRecord]
    readings: list[Reading]
    counters: Counters
    counts: dict[str, int]
    deployment: Deployment
    transactions: int
    reverted: int
    sender_seconds: float
    run_seconds: float
    deploy_seconds: float
    keeper_transactions: int
    extra_pnl: dict[str, list[float]]
    start: int  # chain time of the first step
    boards: list[Board]
    tx_log: TxLog | None = None  # with SimConfig.record: what was sent after deployment
    snapshot_id: str = ""  # with SimConfig.record: the node's snapshot taken right after deployment


def _codec(dep: Deployment, name: str) -> ContractCodec:
    c = dep.contract(name)
    return ContractCodec(name, c.address, c.abi)


class Simulation:
    """Runs a scenario path on a node Ape is connected to (for deployment) at `url` (for everything else)."""

    def __init__(self, url: str, project: Any, chain: Any, deployer: Any, scenario: Scenario, policy: HedgePolicy,
                 config: SimConfig, workdir: Path | None = None) -> None:
        config.check()
        self.url = url
        self.project = project
        self.chain = chain
        self.deployer = deployer
        self.scenario = scenario
        self.policy = policy
        self.cfg = config
        self.workdir = workdir
        self.tx_log = TxLog()
        self.rpc = self.tx_log.wrap(HttpJsonRpc(url, timeout_s=30.0))
        self.feed_decimals = 8
        self.start = 0
        self.boards: list[Board] = []
        self.path = scenario.price_path(config.steps, config.step_seconds, config.seed)
        if not np.all(np.isfinite(self.path.prices)) or np.any(self.path.prices <= 0):
            raise SimulationError("the scenario's price path must be positive and finite")

    # -- setup -----------------------------------------------------------------------------------------

    def _deploy(self) -> tuple[Deployment, list[Board], int]:
        fix_block_interval(self.rpc, 1)
        # an empty block first: it takes up any timestamp set earlier for the next block, so that every
        # time of the run is an exact offset from this block's
        self.rpc.request("evm_mine", [])
        start = head_timestamp(self.rpc) + DEPLOY_LEAD_S
        keeper = mnemonic_account(KEEPER_ACCOUNT)
        dep, boards = deploy_for_simulation(self.project, self.chain, self.deployer, keeper.address, float(self.scenario.implied_vol),
                                            float(self.path.prices[0]), start)
        return dep, boards, start

    def run(self, on_step: Callable[[int, int], None] | None = None) -> SimRun:
        t_deploy = time.perf_counter()
        dep, boards, start = self._deploy()
        self.start = start
        self.boards = boards
        deploy_seconds = time.perf_counter() - t_deploy
        snapshot_id = ""
        if self.cfg.record:
            snapshot_id = str(self.rpc.request("evm_snapshot", []))
            self.tx_log.active = True
        chain_id = hex_int(self.rpc.request("eth_chainId", []))
        sender = TxSender(self.rpc, chain_id)
        self.feed_decimals = int(dep.parameters.get("feed_decimals", 8))
        w = World(sender=sender, quote=_codec(dep, "MockStablecoin"), feed=_codec(dep, "MockAggregator"),
                  oracle=_codec(dep, "VolatilityOracle"), pool=_codec(dep, "OptionsPool"), market=_codec(dep, "OptionMarket"),
                  perp=_codec(dep, "PerpMarket"), boards=boards,
                  opened_topic="0x" + keccak(text="PositionOpened(uint256,address,uint256,bool,bool,uint256,uint256,uint256,uint256,uint256)").hex().removeprefix("0x"))
        owner = mnemonic_account(0)
        if owner.address.lower() != str(dep.deployer).lower():
            raise SimulationError(f"the deployer {dep.deployer} is not the first account of the local test mnemonic")
        agents = self._agents()
        self._fund(w, owner, agents)
        decoder = EventDecoder(dep, ("OptionMarket", "OptionsPool", "PerpMarket"))
        with tempfile.TemporaryDirectory(dir=self.workdir) as tmp:
            dep_path = dep.write(Path(tmp) / "deployment.json")
            app = self._keeper(dep_path, Path(tmp))
            try:
                run = self._loop(w, dep, start, owner, agents, app, decoder, deploy_seconds, on_step)
            finally:
                app.close()
                self.tx_log.active = False
                release_block_interval(self.rpc)
        if self.cfg.record:
            run.tx_log, run.snapshot_id = self.tx_log, snapshot_id
        return run

    def _agents(self) -> dict[str, Any]:
        seeds = np.random.SeedSequence([self.cfg.seed, 7_919]).spawn(16)
        rngs = [np.random.default_rng(s) for s in seeds]
        if not self.cfg.agents:
            return {"option": [], "perp": [], "lp": [], "arb": None, "liquidator": None}
        return {
            "option": [OptionTrader(mnemonic_account(a), rngs[i], thin_margin=(i % 2 == 1)) for i, a in enumerate(OPTION_TRADER_ACCOUNTS)],
            "perp": [PerpTrader(mnemonic_account(a), rngs[8 + i]) for i, a in enumerate(PERP_TRADER_ACCOUNTS)],
            "lp": [LiquidityProvider(mnemonic_account(a), rngs[4 + i]) for i, a in enumerate(LP_ACCOUNTS)],
            "arb": Arbitrageur(mnemonic_account(ARB_ACCOUNT)),
            "liquidator": Liquidator(mnemonic_account(LIQUIDATOR_ACCOUNT)),
        }

    def _fund(self, w: World, owner: LocalAccount, agents: dict[str, Any]) -> None:
        accounts = [mnemonic_account(i) for i in range(1, 16)]
        for acct in accounts:  # ether for gas on nodes with a base fee
            try:
                self.rpc.request("anvil_setBalance", [acct.address, hex(10**24)])
            except HedgekeeperError:
                pass
        fund(w, owner, [a.account for a in agents["option"]], 5_000_000.0, [w.pool])
        fund(w, owner, [a.account for a in agents["lp"]], 2_000_000.0, [w.pool])
        fund(w, owner, [a.account for a in agents["perp"]], 1_000_000.0, [w.perp])
        if agents["arb"] is not None:
            fund(w, owner, [agents["arb"].account], 50_000_000.0, [w.perp])
            w.sender.send(agents["arb"].account, w.perp, "deposit", 20_000_000 * 10**6, label="perp_deposit")
        if not self.cfg.agents:
            fund(w, owner, [mnemonic_account(OPTION_TRADER_ACCOUNTS[0])], 5_000_000.0, [w.pool])

    def _keeper(self, dep_path: Path, tmp: Path) -> Any:
        configure_logging(level="warning")
        key = "0x" + bytes(mnemonic_account(KEEPER_ACCOUNT).key).hex().removeprefix("0x")
        overrides: dict[str, Any] = {
            "rpc_url": self.url, "deployment": dep_path, "private_key": key, "journal_path": tmp / "keeper-journal.sqlite",
            # the price agent updates the oracle, the surface agent posts surfaces, the liquidator liquidates
            "duties": {"oracle": False, "surface": False, "liquidate_shorts": False, "liquidate_perps": False},
            "receipt_poll_s": 0.001, "deadline_s": 600, "cycle_interval_s": 1.0,
        }
        overrides.update(self.cfg.keeper_overrides)
        settings = load_settings(**overrides)
        return build_keeper(settings, policy=self.policy, rpc_wrap=self.tx_log.wrap)

    # -- the loop ---------------------------------------------------------------------------------------

    def _loop(self, w: World, dep: Deployment, start: int, owner: LocalAccount, agents: dict[str, Any], app: Any,
              decoder: EventDecoder, deploy_seconds: float, on_step: Callable[[int, int], None] | None) -> SimRun:
        cfg = self.cfg
        sender = w.sender
        counters = Counters()
        builder = StepBuilder()
        records: list[StepRecord] = []
        readings: list[Reading] = []
        extra: dict[str, list[float]] = {"basis": [], "liquidation": []}
        vol = float(self.scenario.implied_vol)
        w.implied_vol = vol
        prev_hedge = 0.0
        cum_funding = 0.0
        prev_liq = 0.0
        from_block = hex_int(self.rpc.request("eth_blockNumber", [])) + 1
        keeper_tx_before = sender.stats.sent
        n = cfg.steps + 1
        self.tx_log.start_loop()
        t_run = time.perf_counter()
        keeper_sent = 0

        state, _ = self._state(w, [])
        prev_findex = state.findex
        reading0, prev_basis = self._read(w, state, counters, 0.0, cum_funding)
        self._add(builder, records, readings, extra, reading0, 0.0, 0.0, counters.lp_flows)
        for i in range(n):
            now = int(start + i * cfg.step_seconds)
            set_next_timestamp(self.rpc, now)
            w.now, w.spot = now, float(self.path.prices[i])
            self._price_agent(w, owner)
            if agents["liquidator"] is not None:
                agents["liquidator"].act(w)
            if agents["arb"] is not None:
                agents["arb"].act(w)
            for a in agents["perp"]:
                a.act(w)
            for a in agents["lp"]:
                a.act(w)
            for a in agents["option"]:
                a.act(w)
            if i == 0 and cfg.opening_trade is not None:
                self._opening_trade(w)
            report = app.keeper.cycle()
            keeper_sent += sum(1 for o in report.outcomes if o.tx_hash)
            net_before = report.snapshot.book.net_delta
            # the step's events, the next block to scan from and the protocol's state: one round trip
            surface_next = i < n - 1 and cfg.vol_reversion > 0
            state, (logs, head) = self._state(w, [
                ("eth_getLogs", [{"fromBlock": hex(from_block), "toBlock": "latest", "address": decoder.addresses}]),
                ("eth_blockNumber", []),
            ], realized_vol=surface_next)
            from_block = hex_int(head) + 1
            self._count(decoder.decode_all(logs), counters, w.spot, i)
            # funding the hedge paid over the step: the size held x the change of the cumulative funding index
            # (the keeper's trade comes seconds before the reading; what it changes lands in the residual)
            findex = state.findex
            cum_funding -= prev_hedge * (findex - prev_findex) / 1e18
            prev_findex = findex
            reading, basis = self._read(w, state, counters, net_before, cum_funding)
            prev_hedge = reading.hedge_position
            self._add(builder, records, readings, extra, reading, basis - prev_basis, counters.liquidation - prev_liq, counters.lp_flows)
            prev_basis, prev_liq = basis, counters.liquidation
            if i < n - 1:
                vol = self._surface_agent(w, owner, vol, state.realized_vol)
            if on_step is not None:
                on_step(i + 1, n)
        run_seconds = time.perf_counter() - t_run
        return SimRun(records=records, readings=readings, counters=counters, counts=dict(w.counts), deployment=dep,
                      transactions=sender.stats.sent + keeper_sent - keeper_tx_before, reverted=sender.stats.reverted,
                      sender_seconds=sender.stats.seconds, run_seconds=run_seconds, deploy_seconds=deploy_seconds,
                      keeper_transactions=keeper_sent, extra_pnl=extra, start=self.start, boards=self.boards)

    def _add(self, builder: StepBuilder, records: list[StepRecord], readings: list[Reading], extra: dict[str, list[float]],
             reading: Reading, basis: float, liquidation: float, lp_flows: float) -> None:
        rec = builder.add(reading)
        pnl = dict(rec.pnl)
        if len(records) > 0:
            pnl["basis"] = basis
            pnl["liquidation"] = liquidation
            pnl["residual"] = pnl["residual"] - basis - liquidation
        else:
            pnl["basis"] = pnl["liquidation"] = 0.0
        # the report shows the pool's NAV itself, and times from the start of the run
        records.append(replace(rec, pnl=pnl, nav=reading.nav + lp_flows, time=rec.time - self.start))
        readings.append(reading)
        extra["basis"].append(pnl["basis"])
        extra["liquidation"].append(pnl["liquidation"])

    def _price_agent(self, w: World, owner: LocalAccount) -> None:
        answer = round(w.spot * 10**self.feed_decimals)
        for fn, codec, args in (("setAnswer", w.feed, (answer,)), ("update", w.oracle, ()), ("refreshGreeks", w.pool, ())):
            r = w.sender.send(owner, codec, fn, *args, label=f"price_{fn}")
            if not r.ok:
                raise SimulationError(f"price agent: {codec.name}.{fn}() reverted at {w.now}")

    def _surface_agent(self, w: World, owner: LocalAccount, vol: float, rv: int | None) -> float:
        """`rv`: the oracle's realized vol (WAD) read with the step's state (no transaction since)."""
        cfg = self.cfg
        if cfg.vol_reversion > 0:
            if rv is None:
                (rv,) = w.sender.call(w.oracle, "realizedVol")
            move = cfg.vol_reversion * (from_wad(int(rv)) - vol)
            vol = vol + max(-cfg.max_vol_move, min(cfg.max_vol_move, move))
        vol = round(vol, 6)
        live = [b.expiry for b in w.boards if b.expiry > w.now + cfg.step_seconds]
        if live:
            posts = [(e, to_wad(vol), 0) for e in live]
            r = w.sender.send(owner, w.oracle, "postSurfaces", posts, label="surface_post")
            if not r.ok:
                raise SimulationError(f"surface agent: postSurfaces reverted at {w.now}")
        w.implied_vol = vol
        return vol

    def _opening_trade(self, w: World) -> None:
        assert self.cfg.opening_trade is not None
        k_idx, call, size = self.cfg.opening_trade
        trader = mnemonic_account(OPTION_TRADER_ACCOUNTS[0])
        r = w.sender.send(trader, w.market, "openPosition", w.boards[0].first_strike_id + k_idx, call, True, to_wad(size), 0, 2**255,
                          w.now + 600, label="option_buy")
        if not r.ok:
            raise SimulationError("the opening option trade reverted")

    def _count(self, events: list[Any], c: Counters, index: float, step: int) -> None:
        for e in events:
            a = e.args
            if e.contract == "OptionMarket":
                if e.name in ("PositionOpened", "PositionClosed"):
                    c.fees += from_quote(int(a["fee"]))
                elif e.name == "PositionLiquidated":
                    c.option_liquidations += 1
                    c.liquidation += from_quote(int(a["lpFee"]))
                elif e.name == "ShortfallCovered":
                    c.liquidation -= from_quote(int(a["fromLps"]))
            elif e.contract == "OptionsPool":
                if e.name == "Hedged":
                    size = from_wad(int(a["sizeDelta"]))
                    c.hedge_cost += -from_quote(int(a["fee"])) + size * (index - from_wad(int(a["fillPrice"])))
                    c.hedge_trades += 1
                    c.hedge_sizes.append(size)
                    c.hedge_steps.append(step)
                elif e.name == "Deposit":
                    c.lp_flows += from_quote(int(a["assets"]))
                elif e.name == "Withdraw":
                    c.lp_flows -= from_quote(int(a["assets"]))
            elif e.contract == "PerpMarket" and e.name == "PositionLiquidated":
                c.perp_liquidations += 1

    def _state(self, w: World, extra: list[tuple[str, list[Any]]], realized_vol: bool = False) -> tuple[ChainState, list[Any]]:
        """The protocol's views the step reads, and the raw results of the read requests `extra`, all at the
        same state in one JSON-RPC batch."""
        calls: list[tuple[ContractCodec, str, tuple[Any, ...]]] = [
            (w.perp, "fundingIndex", ()), (w.pool, "keeperSnapshot", ()), (w.pool, "nav", ()), (w.pool, "totalSupply", ())]
        if realized_vol:
            calls.append((w.oracle, "realizedVol", ()))
        outs, raw = w.sender.call_many(calls, extra)
        rv = int(outs[4][0]) if realized_vol else None
        return ChainState(int(outs[0][0]), tuple(int(v) for v in outs[1][0]), int(outs[2][0]), int(outs[3][0]), rv), raw

    def _read(self, w: World, state: ChainState, c: Counters, net_before: float, cum_funding: float) -> tuple[Reading, float]:
        """The protocol now, with the LP flows taken out of the NAV (so NAV changes are PnL), and the basis
        value of the hedge, size x (mark - index) (quote)."""
        s = w.sender
        fields = dict(zip(w.pool.output_fields("keeperSnapshot"), state.snapshot))
        nav, supply = state.nav, state.supply
        live = [b for b in w.boards if b.expiry > fields["timestamp"]]
        vol = w.implied_vol
        if live:
            centre = min(live[0].strikes, key=lambda k: abs(k - from_wad(fields["spot"])))
            (v,) = s.call(w.oracle, "smoothedImpliedVol", live[0].expiry, to_wad(centre))
            vol = from_wad(int(v))
        hedge = from_wad(fields["hedgeSize"])
        mark, index = from_wad(fields["markPrice"]), from_wad(fields["indexPrice"])
        nav_q = from_quote(int(nav))
        shares = int(supply) / 1e18
        reading = Reading(
            timestamp=float(fields["timestamp"]), index_price=index, mark=mark, spot=from_wad(fields["spot"]), implied_vol=vol,
            options_delta=from_wad(fields["optionsDelta"]), options_gamma=from_wad(fields["optionsGamma"]),
            options_vega=from_wad(fields["optionsVega"]), options_theta=from_wad(fields["optionsTheta"]),
            net_delta_before=net_before, hedge_position=hedge, nav=nav_q - c.lp_flows,
            lp_share_price=nav_q / shares if shares > 0 else 0.0, cum_premium=c.fees, cum_hedge_cost=c.hedge_cost,
            cum_funding=cum_funding, cum_carry=0.0, cum_option_liquidations=c.option_liquidations,
            cum_perp_liquidations=c.perp_liquidations,
        )
        return reading, hedge * (mark - index)
