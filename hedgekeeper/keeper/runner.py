"""The keeper loop: reconcile the journal, read the chain, decide, execute, report.

The hedge position is read back from the chain at the start of every cycle (never kept locally), and the
keeper's memory between cycles (last hedge, last oracle update, pending hedge) is rebuilt from the journal,
so a restarted keeper continues exactly where it stopped."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from hedgekeeper.keeper.calls import ActionEncoder
from hedgekeeper.keeper.executor import Executor, Outcome
from hedgekeeper.keeper.logs import get_logger
from hedgekeeper.keeper.metrics import KeeperMetrics
from hedgekeeper.keeper.reader import ChainReader
from hedgekeeper.keeper.report import CycleReport
from hedgekeeper.keeper.settings import KeeperSettings
from hedgekeeper.strategy.actions import Action, action_to_dict
from hedgekeeper.strategy.decide import decide
from hedgekeeper.strategy.observation import ChainSnapshot, KeeperState
from hedgekeeper.strategy.types import HedgePolicy, HedgeState

_DONE = ("mined", "dry_run")
_BOOK_CHANGING = ("refresh_greeks", "settle_expiry", "liquidate_short")
# Passes of read-decide-act in one cycle: each book-changing action ends its pass so that the next
# decision (above all the hedge) is taken on a fresh read.
_MAX_PASSES = 4
# Outcomes that change what the reader's periodic scans show: re-read them at the next cycle.
_RESCAN = ("post_surfaces", "deleverage", "liquidate_perp", "liquidate_short")


class Keeper:
    def __init__(
        self,
        settings: KeeperSettings,
        reader: ChainReader,
        executor: Executor,
        encoder: ActionEncoder,
        policy: HedgePolicy | None,
        metrics: KeeperMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.reader = reader
        self.executor = executor
        self.encoder = encoder
        self.policy = policy
        self.metrics = metrics or KeeperMetrics()
        self.log = get_logger()
        self.last_report: CycleReport | None = None
        self._greeks_ref: tuple[float, float] | None = None  # (greeks updated at, spot first seen with them)
        self.cycles = 0

    def state(self) -> KeeperState:
        """The keeper's memory, rebuilt from the journal (and the spot seen at the last greeks refresh)."""
        journal = self.executor.journal
        last_hedge = journal.last_final("hedge", _DONE)
        last_oracle = journal.last_final("update_oracle", _DONE)
        return KeeperState(
            hedge=HedgeState(last_hedge_timestamp=last_hedge.chain_ts if last_hedge else float("-inf")),
            pending_hedge=journal.has_pending("hedge"),
            last_oracle_update=last_oracle.chain_ts if last_oracle else float("-inf"),
            greeks_spot=self._greeks_ref[1] if self._greeks_ref is not None else None,
        )

    def _decide(self, snapshot: Any, state: KeeperState) -> list[Action]:
        settings = self.settings
        if self.policy is None and settings.duties.hedge:
            settings = settings.model_copy(update={"duties": settings.duties.model_copy(update={"hedge": False})})
        return decide(snapshot, state, settings, self.policy)  # type: ignore[arg-type]

    def _invalidate(self) -> None:
        invalidate = getattr(self.reader, "invalidate", None)
        if invalidate is not None:
            invalidate()

    def _read(self) -> ChainSnapshot:
        snapshot = self.reader.read()
        if self._greeks_ref is None or self._greeks_ref[0] != snapshot.greeks_updated_at:
            self._greeks_ref = (snapshot.greeks_updated_at, snapshot.book.spot)
        return snapshot

    def cycle(self) -> CycleReport:
        """One check-and-perform cycle. When an action changes the option book (a greeks refresh, a
        settlement, a short liquidation), the rest of that pass's decisions are stale: read and decide
        again in the same cycle (so the hedge uses the fresh delta), up to `_MAX_PASSES` times."""
        t0 = time.perf_counter()
        if self.executor.journal.has_pending():
            for o in self.executor.reconcile():
                self.log.info("reconciled", kind=o.kind, status=o.status, tx=o.tx_hash, detail=o.detail or None)
                if o.kind in _RESCAN:
                    self._invalidate()
        read_s = decide_s = 0.0
        done: list[Action] = []
        outcomes: list[Outcome] = []
        for _pass in range(_MAX_PASSES):
            ta = time.perf_counter()
            snapshot = self._read()
            tb = time.perf_counter()
            actions = self._decide(snapshot, self.state())
            tc = time.perf_counter()
            read_s += tb - ta
            decide_s += tc - tb
            stop = False
            pass_outcomes: list[Outcome] = []
            for action in actions:
                outcome = self.executor.execute(self.encoder.encode(action), action.kind, action_to_dict(action), snapshot.timestamp)
                done.append(action)
                outcomes.append(outcome)
                pass_outcomes.append(outcome)
                self.log.info(
                    "action", kind=action.kind, status=outcome.status, tx=outcome.tx_hash, detail=outcome.detail or None,
                    reason=getattr(action, "reason", None), **_numbers(action),
                )
                if outcome.status == "pending":
                    stop = True  # later transactions would queue behind it; the next cycle reconciles first
                    break
                if outcome.status == "mined" and action.kind in _BOOK_CHANGING:
                    break  # the remaining decisions were taken on the old book
            if any(o.kind in _RESCAN for o in outcomes):
                self._invalidate()
            book_changed = any(o.status == "mined" and o.kind in _BOOK_CHANGING for o in pass_outcomes)
            if stop or not book_changed or _pass == _MAX_PASSES - 1:
                break
        t3 = time.perf_counter()
        total = t3 - t0
        report = CycleReport(snapshot, tuple(done), tuple(outcomes), read_s, decide_s, total - read_s - decide_s, total)
        self.metrics.observe(report, self.settings.trade_cost_rate)
        book = snapshot.book
        self.log.debug("cycle", spot=book.spot, net_delta=book.net_delta, hedge=book.hedge_size, actions=len(done), seconds=round(total, 4))
        self.last_report = report
        self.cycles += 1
        return report

    def run(self, once: bool = False, stop: threading.Event | None = None, on_cycle: Callable[[CycleReport], None] | None = None,
            max_cycles: int | None = None) -> None:
        """Cycle every `cycle_interval_s` until `stop` is set (or once). A failing cycle is logged and retried
        at the next interval; configuration errors stop the loop."""
        stop = stop or threading.Event()
        while not stop.is_set():
            started = time.monotonic()
            try:
                report = self.cycle()
                if on_cycle is not None:
                    on_cycle(report)
            except Exception as exc:  # keep running for days: log, count, try again next interval
                self.metrics.cycle_errors.inc()
                self.log.error("cycle failed", error=f"{type(exc).__name__}: {exc}")
                if once:
                    raise
            if once or (max_cycles is not None and self.cycles >= max_cycles):
                return
            stop.wait(max(0.0, self.settings.cycle_interval_s - (time.monotonic() - started)))


def _numbers(action: Action) -> dict[str, Any]:
    d = action_to_dict(action)
    return {k: v for k, v in d.items() if k not in ("kind", "reason")}
