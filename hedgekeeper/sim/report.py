"""The simulation report: a folder with summary.json, steps.csv and PNG plots, and a terminal table.

Input is a per-step table, built from typed `StepRecord`s (what the on-chain simulator appends after
each step) or from columns (what the model backtest produces). Units: `time` in seconds from the start;
prices in quote per unit of underlying; deltas and the hedge position in units of underlying (signed,
+ = long); NAV and PnL components in quote; the LP share price in quote per LP share; liquidations as
counts per step. PnL components are free-form names (see hedgekeeper.model.attribution.COMPONENTS),
stored as `pnl_<name>` columns; each row holds the PnL since the previous row (not cumulative; zero on
the first row), so the components of a row add up to its NAV change since the previous row."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hedgekeeper.errors import HedgekeeperError

FloatArray = NDArray[np.float64]

BASE_COLUMNS: tuple[str, ...] = (
    "step", "time", "index_price", "mark", "spot", "net_delta_before", "net_delta_after", "hedge_position", "nav",
    "lp_share_price", "option_liquidations", "perp_liquidations",
)
PLOTS: tuple[str, ...] = ("prices.png", "net_delta.png", "hedge_position.png", "nav_share_price.png", "pnl_components.png", "liquidations.png")


class ReportError(HedgekeeperError):
    """A step table is malformed or the report folder cannot be written."""


@dataclass(frozen=True)
class StepRecord:
    """One reading of the simulation at the end of a step: prices, the net delta just before and just
    after the hedge trade made at this reading, the hedge after it, NAV and LP share price, and the PnL
    since the previous reading by component (quote)."""

    step: int
    time: float  # seconds from the start
    index_price: float
    mark: float
    spot: float
    net_delta_before: float
    net_delta_after: float
    hedge_position: float
    nav: float
    lp_share_price: float
    pnl: Mapping[str, float] = field(default_factory=dict)
    option_liquidations: int = 0
    perp_liquidations: int = 0


@dataclass(frozen=True)
class StepTable:
    """Columns of equal length: BASE_COLUMNS plus one `pnl_<name>` column per PnL component."""

    columns: dict[str, FloatArray]

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> StepTable:
        missing = [c for c in BASE_COLUMNS if c not in columns]
        if missing:
            raise ReportError(f"step table lacks column {missing[0]!r}")
        extra = [c for c in columns if c not in BASE_COLUMNS and not c.startswith("pnl_")]
        if extra:
            raise ReportError(f"unknown step column {extra[0]!r} (PnL components are named pnl_<component>)")
        cols = {name: np.asarray(v, dtype=float).reshape(-1) for name, v in columns.items()}
        n = len(cols["step"])
        if n == 0:
            raise ReportError("step table is empty")
        for name, v in cols.items():
            if len(v) != n:
                raise ReportError(f"column {name!r} has {len(v)} rows, step has {n}")
            if not np.all(np.isfinite(v)):
                raise ReportError(f"column {name!r} has a non-finite value at row {int(np.argmin(np.isfinite(v)))}")
        if np.any(np.diff(cols["time"]) <= 0):
            raise ReportError("column 'time' must increase")
        return cls(columns=cols)

    @classmethod
    def from_records(cls, records: Sequence[StepRecord]) -> StepTable:
        if not records:
            raise ReportError("step table is empty")
        names = sorted({k for r in records for k in r.pnl})
        cols: dict[str, list[float]] = {c: [float(getattr(r, c)) for r in records] for c in BASE_COLUMNS}
        for name in names:
            cols[f"pnl_{name}"] = [float(r.pnl.get(name, 0.0)) for r in records]
        return cls.from_columns(cols)

    def __len__(self) -> int:
        return len(self.columns["step"])

    @property
    def pnl_components(self) -> list[str]:
        return [c[4:] for c in self.columns if c.startswith("pnl_")]


def _realized_vol(prices: FloatArray, times: FloatArray) -> float:
    if len(prices) < 3:
        return float("nan")
    lr = np.diff(np.log(prices))
    dt_years = np.diff(times) / (365.0 * 86_400.0)
    return float(np.sqrt(np.sum(lr**2) / np.sum(dt_years)))


def summarize(table: StepTable, meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Headline figures of one run, plus `meta` (scenario, policy, ...) merged in under "run"."""
    c = table.columns
    nav = c["nav"]
    hedge = c["hedge_position"]
    trades = int(np.count_nonzero(np.diff(np.concatenate([[0.0], hedge]))))
    pnl = {name: float(c[f"pnl_{name}"].sum()) for name in table.pnl_components}
    out: dict[str, Any] = {
        "steps": len(table),
        "duration_seconds": float(c["time"][-1] - c["time"][0]),
        "index_price": {"start": float(c["index_price"][0]), "end": float(c["index_price"][-1]),
                        "min": float(c["index_price"].min()), "max": float(c["index_price"].max())},
        "realized_vol": _realized_vol(c["index_price"], c["time"]),
        "max_mark_index_gap": float(np.max(np.abs(c["mark"] / c["index_price"] - 1.0))),
        "nav": {"start": float(nav[0]), "end": float(nav[-1]), "min": float(nav.min()), "max": float(nav.max())},
        "lp_share_price": {"start": float(c["lp_share_price"][0]), "end": float(c["lp_share_price"][-1]),
                           "min": float(c["lp_share_price"].min())},
        "net_delta_after_hedge": {"mean_abs": float(np.abs(c["net_delta_after"]).mean()), "max_abs": float(np.abs(c["net_delta_after"]).max())},
        "net_delta_before_hedge": {"mean_abs": float(np.abs(c["net_delta_before"]).mean()), "max_abs": float(np.abs(c["net_delta_before"]).max())},
        "hedge_trades": trades,
        "pnl_by_component": pnl,
        "pnl_total": math.fsum(pnl.values()),
        "liquidations": {"options": int(c["option_liquidations"].sum()), "perp": int(c["perp_liquidations"].sum())},
    }
    if meta:
        out["run"] = dict(meta)
    return _jsonable(out)  # type: ignore[no-any-return]


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        f = float(x)
        return f if math.isfinite(f) else None
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    return x


def _time_axis(times: FloatArray) -> tuple[FloatArray, str]:
    span = float(times[-1] - times[0])
    if span >= 3 * 86_400:
        return times / 86_400.0, "time (days)"
    if span >= 3 * 3_600:
        return times / 3_600.0, "time (hours)"
    return times / 60.0, "time (minutes)"


def _plots(table: StepTable, out_dir: Path, title: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    c = table.columns
    t, t_label = _time_axis(c["time"])
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        path = out_dir / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(t, c["index_price"], label="index (oracle)", lw=1.6, color="black")
    ax.plot(t, c["mark"], label="perp mark", lw=1.0, color="tab:orange", ls=(0, (4, 2)))
    if not np.array_equal(c["spot"], c["index_price"]):
        ax.plot(t, c["spot"], label="spot", lw=1.0, ls="--", color="tab:blue")
    ax.set(title=f"{title}: price and mark vs index", xlabel=t_label, ylabel="price (quote per unit)")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "prices.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(t, c["net_delta_before"], label="before hedge", lw=1.0, color="tab:red", alpha=0.8)
    ax.plot(t, c["net_delta_after"], label="after hedge", lw=1.4, color="tab:green")
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set(title=f"{title}: net delta of the pool (options + hedge)", xlabel=t_label, ylabel="net delta (units of underlying)")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "net_delta.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.step(t, c["hedge_position"], where="post", label="perp hedge position", color="tab:purple")
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set(title=f"{title}: hedge position on the perp", xlabel=t_label, ylabel="position (units of underlying, + long)")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "hedge_position.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(t, c["nav"], label="pool NAV", color="tab:blue")
    ax.set(title=f"{title}: pool NAV and LP share price", xlabel=t_label, ylabel="NAV (quote)")
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(t, c["lp_share_price"], label="LP share price", color="tab:orange", ls="--")
    ax2.set_ylabel("LP share price (quote per share)")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], loc="best")
    save(fig, "nav_share_price.png")

    fig, ax = plt.subplots(figsize=(9, 5))
    total = np.zeros(len(table))
    for name in table.pnl_components:
        cum = np.cumsum(c[f"pnl_{name}"])
        total += c[f"pnl_{name}"]
        if np.any(cum != 0):
            ax.plot(t, cum, label=name, lw=1.2)
    ax.plot(t, np.cumsum(total), label="total", color="black", lw=2.0)
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set(title=f"{title}: cumulative PnL by component", xlabel=t_label, ylabel="cumulative PnL (quote)")
    ax.grid(alpha=0.3)
    ax.legend(ncol=2, fontsize="small")
    save(fig, "pnl_components.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = (t[1] - t[0]) * 0.8 if len(t) > 1 else 1.0
    ax.bar(t, c["option_liquidations"], width=width, label="option short positions", color="tab:red", alpha=0.8)
    ax.bar(t, c["perp_liquidations"], width=width, bottom=c["option_liquidations"], label="perp positions", color="tab:blue", alpha=0.8)
    ax.set(title=f"{title}: liquidations per step (total {int(c['option_liquidations'].sum() + c['perp_liquidations'].sum())})",
           xlabel=t_label, ylabel="liquidations (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max(1.0, float(np.max(c["option_liquidations"] + c["perp_liquidations"]))) * 1.15)
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "liquidations.png")
    return written


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    summary: Path
    steps_csv: Path
    plots: list[Path]


def write_report(table: StepTable, out_dir: Path | str, *, title: str = "simulation", meta: Mapping[str, Any] | None = None,
                 extra: Mapping[str, Any] | None = None) -> tuple[ReportFiles, dict[str, Any]]:
    """Write summary.json (summarize() plus `extra`, e.g. statistics over many paths), steps.csv and the
    PLOTS into `out_dir` (created if needed). Returns the files and the summary."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create report folder {folder}: {exc.strerror}") from None
    if not folder.is_dir():
        raise ReportError(f"report folder {folder} is not a directory")
    summary = summarize(table, meta)
    if extra:
        summary |= _jsonable(dict(extra))
    summary_path = folder / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=2, allow_nan=False) + "\n")
    csv_path = folder / "steps.csv"
    names = list(table.columns)
    ints = {"step", "option_liquidations", "perp_liquidations"}
    with csv_path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for i in range(len(table)):
            w.writerow([int(table.columns[n][i]) if n in ints else repr(float(table.columns[n][i])) for n in names])
    plots = _plots(table, folder, title)
    return ReportFiles(folder=folder, summary=summary_path, steps_csv=csv_path, plots=plots), summary


def summary_table(summary: Mapping[str, Any], title: str = "simulation summary") -> Any:
    """A rich Table of the headline figures of `summary` (from summarize / write_report)."""
    from rich.table import Table

    tab = Table(title=title)
    tab.add_column("figure")
    tab.add_column("value", justify="right")
    rows: Iterable[tuple[str, str]] = [
        ("steps", f"{summary['steps']}"),
        ("duration", f"{summary['duration_seconds'] / 3600:.1f} h"),
        ("index price start -> end", f"{summary['index_price']['start']:.2f} -> {summary['index_price']['end']:.2f}"),
        ("realized vol", f"{summary['realized_vol']:.1%}" if summary["realized_vol"] is not None and math.isfinite(summary["realized_vol"]) else "n/a"),
        ("NAV start -> end (quote)", f"{summary['nav']['start']:.2f} -> {summary['nav']['end']:.2f}"),
        ("LP share price start -> end", f"{summary['lp_share_price']['start']:.6f} -> {summary['lp_share_price']['end']:.6f}"),
        ("|net delta| after hedge, mean / max", f"{summary['net_delta_after_hedge']['mean_abs']:.4f} / {summary['net_delta_after_hedge']['max_abs']:.4f}"),
        ("hedge trades", f"{summary['hedge_trades']}"),
        ("liquidations options / perp", f"{summary['liquidations']['options']} / {summary['liquidations']['perp']}"),
    ]
    for label, value in rows:
        tab.add_row(label, value)
    for name, v in summary["pnl_by_component"].items():
        tab.add_row(f"PnL {name} (quote)", f"{v:+.4f}")
    tab.add_row("PnL total (quote)", f"{summary['pnl_total']:+.4f}", style="bold")
    return tab
