"""The report folder, written from one path of a model backtest: summary, CSV, readable PNGs."""

import csv
import json

import matplotlib.image as mpimg
import numpy as np
import pytest
from rich.console import Console

from hedgekeeper.model.attribution import COMPONENTS
from hedgekeeper.model.backtest import SECONDS_PER_YEAR, BacktestError, MarketModel, OptionPosition, run_backtest
from hedgekeeper.model.to_report import path_statistics, step_table
from hedgekeeper.sim.report import PLOTS, ReportError, StepRecord, StepTable, summarize, summary_table, write_report
from hedgekeeper.sim.scenarios import make_scenario
from hedgekeeper.strategy.policies import make_policy

N, STEP = 48, 3600.0


@pytest.fixture(scope="module")
def result():
    sc = make_scenario("jump", realized_vol=0.9, implied_vol=0.8, jump_intensity=30)
    paths = sc.price_paths(N, STEP, seed=12, n_paths=20)
    return run_backtest(
        paths, STEP / SECONDS_PER_YEAR, OptionPosition(2000, 3 * N * STEP / SECONDS_PER_YEAR, -10),
        MarketModel(0.8, 0.03, cost_rate=0.0005, funding_rate=0.1, premium_fee=0.01), make_policy("band", band=0.5),
    )


def test_report_folder_from_a_backtest_path(result, tmp_path):
    table = step_table(result, path=3)
    files, summary = write_report(table, tmp_path / "rep", title="band 0.5", meta={"policy": "fixed_band"}, extra={"paths": path_statistics(result)})
    assert sorted(p.name for p in files.plots) == sorted(PLOTS)
    for p in files.plots:
        img = mpimg.imread(p)
        assert img.shape[0] > 300 and img.shape[1] > 600
        assert img[..., :3].std() > 0.05  # not blank
    with files.steps_csv.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N + 1 and {f"pnl_{c}" for c in COMPONENTS} <= set(rows[0])
    assert float(rows[-1]["nav"]) == result.final_pnl[3]
    saved = json.loads(files.summary.read_text())
    assert saved == summary
    assert saved["run"] == {"policy": "fixed_band"} and saved["paths"]["paths"] == 20
    # NAV change = sum of the PnL components; the model starts with an empty book
    assert saved["nav"]["end"] - saved["nav"]["start"] == pytest.approx(saved["pnl_total"], abs=1e-9)
    assert saved["nav"]["end"] == pytest.approx(result.final_pnl[3])
    assert saved["hedge_trades"] == int(np.count_nonzero(result.steps.trade_size[3]))
    text = Console(width=120, record=True)
    text.print(summary_table(saved))
    out = text.export_text()
    assert "PnL gamma" in out and "hedge trades" in out


def test_records_and_columns_give_the_same_table(result):
    table = step_table(result, 0)
    c = table.columns
    records = [
        StepRecord(step=int(c["step"][i]), time=c["time"][i], index_price=c["index_price"][i], mark=c["mark"][i], spot=c["spot"][i],
                   net_delta_before=c["net_delta_before"][i], net_delta_after=c["net_delta_after"][i], hedge_position=c["hedge_position"][i],
                   nav=c["nav"][i], lp_share_price=c["lp_share_price"][i], pnl={k: c[f"pnl_{k}"][i] for k in COMPONENTS})
        for i in range(len(table))
    ]
    again = StepTable.from_records(records)
    assert set(again.columns) == set(c)
    for k in c:
        assert np.array_equal(again.columns[k], c[k]), k
    assert summarize(again) == summarize(table)


def _cols(n=3):
    base = {k: np.ones(n) for k in ("index_price", "mark", "spot", "net_delta_before", "net_delta_after", "hedge_position", "nav", "lp_share_price",
                                     "option_liquidations", "perp_liquidations")}
    return base | {"step": np.arange(n), "time": np.arange(n) * 60.0, "pnl_gamma": np.zeros(n)}


@pytest.mark.parametrize(
    "change,needle",
    [
        (lambda c: c.pop("nav"), "lacks column 'nav'"),
        (lambda c: c.update(colour=np.ones(3)), "unknown step column 'colour'"),
        (lambda c: c.update(mark=np.ones(2)), "'mark' has 2 rows"),
        (lambda c: c.update(nav=np.array([1.0, np.nan, 1.0])), "'nav' has a non-finite value at row 1"),
        (lambda c: c.update(time=np.array([0.0, 60.0, 60.0])), "'time' must increase"),
    ],
)
def test_malformed_tables_are_named(change, needle):
    cols = _cols()
    change(cols)
    with pytest.raises(ReportError, match=needle):
        StepTable.from_columns(cols)


def test_empty_table_bad_folder_and_bad_path(result, tmp_path):
    with pytest.raises(ReportError, match="empty"):
        StepTable.from_records([])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="cannot create report folder|not a directory"):
        write_report(StepTable.from_columns(_cols()), blocker / "rep")
    with pytest.raises(BacktestError, match="path 99 out of range"):
        step_table(result, 99)
