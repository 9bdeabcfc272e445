"""Scenarios: seeded paths, and one clear line for each kind of bad price file or parameter."""

import json

import numpy as np
import pytest

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.sim.scenarios import FileScenario, GbmScenario, ScenarioError, load_price_file, make_scenario


def test_gbm_and_jump_paths_are_seeded():
    for name in ("gbm", "jump"):
        sc = make_scenario(name, s0=1500, realized_vol=0.5, implied_vol=0.6)
        a = sc.price_path(48, 3600, seed=7)
        b = sc.price_path(48, 3600, seed=7)
        c = sc.price_path(48, 3600, seed=8)
        assert np.array_equal(a.prices, b.prices) and not np.array_equal(a.prices, c.prices)
        assert a.prices[0] == 1500 and a.timestamps[-1] == 48 * 3600 and len(a.prices) == 49
        assert sc.price_paths(48, 3600, seed=7, n_paths=5).shape == (5, 49)
        assert sc.describe()["scenario"] == name and sc.describe()["implied_vol"] == 0.6


def test_gbm_realized_vol_is_the_one_asked_for():
    p = GbmScenario(realized_vol=0.9).price_paths(24 * 30, 3600, seed=1, n_paths=200)
    lr = np.diff(np.log(p), axis=1)
    realized = np.sqrt((lr**2).sum(axis=1).mean() / (30 / 365))
    assert realized == pytest.approx(0.9, rel=0.02)


def test_csv_and_json_files_are_read_and_resampled(tmp_path):
    rows = [(1_700_000_000 + 600 * i, 2000 + 10 * i) for i in range(13)]  # 2 hours, every 10 minutes
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("timestamp,price\n" + "\n".join(f"{t},{p}" for t, p in rows) + "\n")
    json_file = tmp_path / "p.json"
    json_file.write_text(json.dumps([{"timestamp": t, "price": p} for t, p in rows]))
    pairs_file = tmp_path / "q.json"
    pairs_file.write_text(json.dumps([[t, p] for t, p in rows]))
    for f in (csv_file, json_file, pairs_file):
        sc = make_scenario("file", path=str(f), implied_vol=0.7)
        assert sc.s0 == 2000
        path = sc.price_path(8, 900, seed=0)  # 15-minute steps: halfway between rows every other step
        assert path.prices == pytest.approx([2000 + 15 * k for k in range(9)])
        assert path.timestamps[-1] == 8 * 900
    assert len(load_price_file(csv_file).prices) == 13


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("a.csv", "time,px\n1,2\n", "header 'timestamp,price'"),
        ("a.csv", "", "header 'timestamp,price'"),
        ("a.csv", "timestamp,price\n1,100\n2,abc\n", "line 3: timestamp and price must be numbers"),
        ("a.csv", "timestamp,price\n1,100\n2\n", "line 3: expected 'timestamp,price'"),
        ("a.csv", "timestamp,price\n1,100\n1,101\n", "line 3: timestamps must increase"),
        ("a.csv", "timestamp,price\n1,100\n2,-5\n", "line 3: price must be > 0"),
        ("a.csv", "timestamp,price\n1,100\n2,nan\n", "line 3: timestamp and price must be finite"),
        ("a.csv", "timestamp,price\n1,100\n", "needs at least 2"),
        ("a.json", "{not json", "not valid JSON"),
        ("a.json", '{"timestamp": 1}', "expected a JSON list"),
        ("a.json", "[[1, 100], [2]]", "row 1: expected [timestamp, price]"),
        ("a.txt", "1,2\n", "must end in .csv or .json"),
    ],
)
def test_bad_price_files_fail_with_one_line(tmp_path, name, content, needle):
    f = tmp_path / name
    f.write_text(content)
    with pytest.raises(ScenarioError, match=needle.replace("[", r"\[").replace("]", r"\]")) as exc:
        FileScenario(f)
    assert "\n" not in str(exc.value) and isinstance(exc.value, HedgekeeperError)


def test_missing_file_and_short_file(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        make_scenario("file", path=str(tmp_path / "nope.csv"))
    f = tmp_path / "short.csv"
    f.write_text("timestamp,price\n0,100\n3600,101\n")
    sc = FileScenario(f)
    with pytest.raises(ScenarioError, match="covers 3600 s but 2 steps of 3600 s need 7200 s"):
        sc.price_path(2, 3600, seed=0)
    with pytest.raises(ScenarioError, match="one path"):
        sc.price_paths(1, 3600, seed=0, n_paths=3)


@pytest.mark.parametrize(
    "name,params,needle",
    [
        ("brownian", {}, "unknown scenario 'brownian'"),
        ("gbm", {"sigma": 0.5}, "unknown parameter 'sigma'"),
        ("gbm", {"s0": 0}, "s0 must be > 0"),
        ("gbm", {"realized_vol": -0.1}, "realized_vol must be >= 0"),
        ("gbm", {"implied_vol": "high"}, "implied_vol must be a number"),
        ("gbm", {"drift": float("inf")}, "drift must be finite"),
        ("jump", {"jump_intensity": -1}, "jump_intensity must be >= 0"),
        ("jump", {"jump_std": -1}, "jump_std must be >= 0"),
        ("jump", {"jump_mean": "x"}, "jump_mean must be a number"),
        ("file", {}, "needs parameter 'path'"),
    ],
)
def test_bad_scenario_parameters_are_named(name, params, needle):
    with pytest.raises(ScenarioError, match=needle):
        make_scenario(name, **params)


@pytest.mark.parametrize("args,needle", [((0, 60), "n_steps"), ((10, 0), "step_seconds"), ((2.5, 60), "n_steps")])
def test_bad_grid_is_named(args, needle):
    with pytest.raises(ScenarioError, match=needle):
        GbmScenario().price_path(*args, seed=1)
