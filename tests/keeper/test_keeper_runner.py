"""The cycle loop without a chain: re-read after a refresh, stop at a pending transaction, survive a failing
cycle; metrics and the status table."""

from __future__ import annotations

import threading
import urllib.request
from dataclasses import replace

from keeper_test_policy import BandPolicy
from rich.console import Console

from hedgekeeper.anvil import free_port
from hedgekeeper.keeper.errors import TransientRpcError
from hedgekeeper.keeper.executor import Outcome
from hedgekeeper.keeper.journal import Journal
from hedgekeeper.keeper.metrics import KeeperMetrics
from hedgekeeper.keeper.runner import Keeper
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.keeper.status_view import report_table, snapshot_table
from hedgekeeper.strategy.observation import ChainSnapshot
from hedgekeeper.strategy.types import BookSnapshot

NOW = 1_800_000_000.0
BOOK = BookSnapshot(timestamp=NOW, spot=2000.0, mark=2000.0, index=2000.0, funding_rate_per_day=0.0, options_delta=-3.0,
                    options_gamma=-0.01, options_vega=10.0, options_theta=-5.0, hedge_size=0.0, time_to_expiry_years=0.1,
                    hedge_equity=1e6, hedge_margin=1e6, free_cash=1e6)


class FakeReader:
    """Replays snapshots; an exception in the list is raised instead."""

    def __init__(self, items):
        self.items = list(items)
        self.reads = 0

    def read(self):
        self.reads += 1
        item = self.items.pop(0) if len(self.items) > 1 else self.items[0]
        if isinstance(item, Exception):
            raise item
        return item


class FakeExecutor:
    def __init__(self, statuses=None):
        self.journal = Journal(":memory:")
        self.statuses = dict(statuses or {})
        self.sent = []

    def execute(self, call, kind, action, chain_ts):
        self.sent.append(kind)
        status = self.statuses.get(kind, "mined")
        iid = self.journal.record(kind, action, chain_ts, status="signed", nonce=len(self.sent), tx_hash="0x1", raw_tx="0x2")
        if status != "pending":
            self.journal.mark_final(iid, status)
        return Outcome(kind, status, iid)

    def reconcile(self):
        return []


class FakeEncoder:
    def encode(self, action):
        return action


def snapshot(greeks_age=0.0, **book):
    return ChainSnapshot(book=replace(BOOK, **book), greeks_updated_at=NOW - greeks_age, nearest_expiry=NOW + 86400, expired_unsettled_boards=0)


def keeper(reader, executor, **kw):
    duties = {"oracle": False, "settle": False, "liquidate_shorts": False, "liquidate_perps": False, "margin": False}
    settings = load_settings(duties=duties, greeks_max_age_s=100, **kw)
    return Keeper(settings, reader, executor, FakeEncoder(), BandPolicy(0.1), KeeperMetrics())


def test_refresh_then_reread_and_hedge_in_the_same_cycle():
    reader = FakeReader([snapshot(greeks_age=500), snapshot(greeks_age=0, options_delta=-3.2)])
    ex = FakeExecutor()
    report = keeper(reader, ex).cycle()
    assert ex.sent == ["refresh_greeks", "hedge"] and reader.reads == 2
    assert report.actions[1].size_delta == 3.2  # hedged on the second, fresh read
    assert report.snapshot.book.options_delta == -3.2


def test_pending_transaction_stops_the_cycle_and_blocks_the_next_hedge():
    # refresh due (80% of max age) and hedge; once the refresh is mined the greeks read fresh
    reader = FakeReader([snapshot(greeks_age=90), snapshot()])
    ex = FakeExecutor({"refresh_greeks": "pending"})
    k = keeper(reader, ex)
    report = k.cycle()
    assert ex.sent == ["refresh_greeks"] and [o.status for o in report.outcomes] == ["pending"]
    ex.statuses = {"hedge": "pending"}
    ex.journal.mark_final(ex.journal.pending()[0].id, "mined")
    k.cycle()
    assert ex.sent[-1] == "hedge" and k.state().pending_hedge
    k.cycle()
    assert ex.sent.count("hedge") == 1  # one pending hedge at a time


def test_run_survives_a_failing_cycle_and_counts_it():
    reader = FakeReader([TransientRpcError("eth_call: injected"), snapshot(), snapshot()])
    ex = FakeExecutor()
    k = keeper(reader, ex, cycle_interval_s=0.001)
    k.run(max_cycles=2, stop=threading.Event())
    assert k.cycles == 2 and reader.reads == 3  # the failed cycle is not counted; the loop went on
    assert k.metrics.registry.get_sample_value("keeper_cycle_errors_total") == 1
    assert k.metrics.registry.get_sample_value("keeper_hedges_sent_total") == 2  # the fake book never changes
    assert k.metrics.registry.get_sample_value("keeper_net_delta") == -3.0


def test_metrics_endpoint_and_status_table():
    reader = FakeReader([snapshot()])
    k = keeper(reader, FakeExecutor())
    report = k.cycle()
    port = free_port()
    server = k.metrics.serve(port, addr="127.0.0.1")
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        server.shutdown()
    assert "keeper_net_delta -3.0" in body and 'keeper_actions_total{kind="hedge",status="mined"} 1.0' in body
    console = Console(record=True, width=120)
    console.print(report_table(report, 1))
    console.print(snapshot_table(report.snapshot))
    text = console.export_text()
    assert "net delta" in text and "-3.000000" in text and "action hedge" in text and "mined +3.000000" in text
