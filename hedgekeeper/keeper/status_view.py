"""Terminal views of the keeper: one table of the book, hedge account and last actions (rich)."""

from __future__ import annotations

from rich.table import Table

from hedgekeeper.keeper.report import CycleReport
from hedgekeeper.strategy.observation import ChainSnapshot


def snapshot_table(snapshot: ChainSnapshot, title: str = "hedgekeeper") -> Table:
    book = snapshot.book
    table = Table(title=title, show_header=True)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    notional = abs(book.hedge_size) * book.mark
    rows = [
        ("chain time", f"{book.timestamp:.0f}"),
        ("spot / mark / index", f"{book.spot:,.2f} / {book.mark:,.2f} / {book.index:,.2f}"),
        ("funding (per day)", f"{book.funding_rate_per_day:.6%}"),
        ("options delta", f"{book.options_delta:+.6f}"),
        ("options gamma", f"{book.options_gamma:+.8f}"),
        ("options vega / theta", f"{book.options_vega:+,.2f} / {book.options_theta:+,.2f}"),
        ("hedge position", f"{book.hedge_size:+.6f}"),
        ("net delta", f"{book.net_delta:+.6f}"),
        ("hedge margin / equity", f"{book.hedge_margin:,.2f} / {book.hedge_equity:,.2f}"),
        ("maintenance margin", f"{book.hedge_maintenance_margin:,.2f}"),
        ("margin ratio", f"{book.hedge_equity / notional:.3f}" if notional > 0 else "-"),
        ("free cash", f"{book.free_cash:,.2f}"),
        ("time to expiry (years)", f"{book.time_to_expiry_years:.5f}"),
        ("greeks updated at", f"{snapshot.greeks_updated_at:.0f}"),
        ("expired unsettled boards", str(snapshot.expired_unsettled_boards)),
    ]
    for k, v in rows:
        table.add_row(k, v)
    return table


def report_table(report: CycleReport, cycles: int) -> Table:
    table = snapshot_table(report.snapshot, title=f"hedgekeeper - cycle {cycles} ({report.total_s * 1000:.1f} ms)")
    if not report.outcomes:
        table.add_row("actions", "none")
    for action, outcome in zip(report.actions, report.outcomes):
        size = getattr(action, "size_delta", getattr(action, "amount", None))
        shown = f"{outcome.status}" + (f" {size:+.6f}" if isinstance(size, float) else "")
        table.add_row(f"action {action.kind}", shown)
    return table
