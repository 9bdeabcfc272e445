"""Prometheus metrics of one keeper (its own registry, served on `metrics_port` when set)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from hedgekeeper.keeper.report import CycleReport


class KeeperMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.options_delta = Gauge("keeper_options_delta", "Net delta of the option book (underlying units)", registry=r)
        self.options_gamma = Gauge("keeper_options_gamma", "Net gamma of the option book (per quote of spot)", registry=r)
        self.net_delta = Gauge("keeper_net_delta", "Options delta plus hedge (underlying units)", registry=r)
        self.hedge_size = Gauge("keeper_hedge_size", "Perp hedge position read from chain (underlying units)", registry=r)
        self.margin_ratio = Gauge("keeper_margin_ratio", "Hedge equity / hedge notional", registry=r)
        self.spot = Gauge("keeper_spot", "Oracle spot (quote per unit)", registry=r)
        self.actions = Counter("keeper_actions", "Actions by kind and outcome", ["kind", "status"], registry=r)
        self.hedges_sent = Counter("keeper_hedges_sent", "Hedge transactions mined", registry=r)
        self.hedge_cost = Counter("keeper_hedge_cost_quote", "Estimated trading cost of mined hedges (quote)", registry=r)
        self.failures = Counter("keeper_failures", "Actions that reverted, were rejected or stayed pending", ["kind"], registry=r)
        self.cycle_errors = Counter("keeper_cycle_errors", "Cycles that raised", registry=r)
        self.cycle_seconds = Histogram(
            "keeper_cycle_seconds", "Cycle latency (read, decide, send, receipt)", registry=r,
            buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
        )

    def serve(self, port: int, addr: str = "0.0.0.0") -> Any:
        """Serve /metrics on `port` from a daemon thread; returns the server (call .shutdown() to stop)."""
        server, _thread = start_http_server(port, addr=addr, registry=self.registry)
        return server

    def observe(self, report: CycleReport, trade_cost_rate: float) -> None:
        book = report.snapshot.book
        self.options_delta.set(book.options_delta)
        self.options_gamma.set(book.options_gamma)
        self.net_delta.set(book.net_delta)
        self.hedge_size.set(book.hedge_size)
        self.margin_ratio.set(report.margin_ratio)
        self.spot.set(book.spot)
        self.cycle_seconds.observe(report.total_s)
        for action, outcome in zip(report.actions, report.outcomes):
            self.actions.labels(kind=outcome.kind, status=outcome.status).inc()
            if outcome.status in ("reverted", "rejected", "pending", "dropped"):
                self.failures.labels(kind=outcome.kind).inc()
            if outcome.kind == "hedge" and outcome.status == "mined":
                self.hedges_sent.inc()
                size = getattr(action, "size_delta", 0.0)
                self.hedge_cost.inc(abs(size) * book.mark * trade_cost_rate)
