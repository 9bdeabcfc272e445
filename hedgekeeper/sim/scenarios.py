"""Scenarios: where the underlying's price goes, and the implied vol the pool prices at.

Every scenario produces, for `n_steps` steps of `step_seconds`, a seeded price path (same seed, same
path): `price_path(...)` for the one path the on-chain simulator follows, `price_paths(...)` for the
many paths of the model backtest. Prices in quote per unit of underlying; times in seconds from the
start of the path.

- `GbmScenario`: geometric Brownian motion with a chosen realized vol against the pool's implied vol.
- `JumpDiffusionScenario`: Merton jumps on top of it.
- `FileScenario`: a recorded path from a CSV file (header `timestamp,price`) or a JSON file (a list of
  `[timestamp, price]` pairs or of `{"timestamp": ..., "price": ...}` objects); timestamps in seconds,
  strictly increasing. It is sampled every `step_seconds` from its first timestamp by linear
  interpolation, and must cover the whole run. A bad file fails with one line naming the file and row."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hedgekeeper.errors import HedgekeeperError
from hedgekeeper.model.paths import PathError, gbm_paths, jump_diffusion_paths

FloatArray = NDArray[np.float64]
SECONDS_PER_YEAR = 365.0 * 86_400.0


class ScenarioError(HedgekeeperError):
    """A scenario's parameters or price file are invalid."""


@dataclass(frozen=True)
class PricePath:
    timestamps: FloatArray  # seconds from the start, shape (n_steps + 1,)
    prices: FloatArray  # shape (n_steps + 1,)


def _positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise ScenarioError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return x


def _grid(n_steps: int, step_seconds: float, n_paths: int) -> None:
    if int(n_steps) != n_steps or n_steps < 1:
        raise ScenarioError(f"n_steps must be a whole number >= 1, got {n_steps!r}")
    _positive("step_seconds", step_seconds)
    if int(n_paths) != n_paths or n_paths < 1:
        raise ScenarioError(f"n_paths must be a whole number >= 1, got {n_paths!r}")


class _Scenario:
    name = ""
    s0: float
    implied_vol: float

    def price_paths(self, n_steps: int, step_seconds: float, seed: int, n_paths: int = 1) -> FloatArray:
        raise NotImplementedError

    def price_path(self, n_steps: int, step_seconds: float, seed: int) -> PricePath:
        prices = self.price_paths(n_steps, step_seconds, seed, 1)[0]
        return PricePath(timestamps=np.arange(n_steps + 1) * float(step_seconds), prices=prices)

    def describe(self) -> dict[str, Any]:
        return {"scenario": self.name} | {k: v for k, v in vars(self).items() if not k.startswith("_")}


class GbmScenario(_Scenario):
    """GBM at `realized_vol` (per year) from `s0`, priced by the pool at `implied_vol`; `drift` per year."""

    name = "gbm"

    def __init__(self, s0: Any = 2000.0, realized_vol: Any = 0.8, implied_vol: Any = 0.8, drift: Any = 0.0) -> None:
        self.s0 = _positive("s0", s0)
        self.realized_vol = _positive("realized_vol", realized_vol, allow_zero=True)
        self.implied_vol = _positive("implied_vol", implied_vol)
        self.drift = float(drift)
        if not math.isfinite(self.drift):
            raise ScenarioError(f"drift must be finite, got {drift!r}")

    def price_paths(self, n_steps: int, step_seconds: float, seed: int, n_paths: int = 1) -> FloatArray:
        _grid(n_steps, step_seconds, n_paths)
        return gbm_paths(self.s0, self.drift, self.realized_vol, step_seconds / SECONDS_PER_YEAR, int(n_steps), int(n_paths), seed)


class JumpDiffusionScenario(GbmScenario):
    """GBM plus Poisson jumps: `jump_intensity` per year, log-jump N(`jump_mean`, `jump_std`^2)."""

    name = "jump"

    def __init__(
        self, s0: Any = 2000.0, realized_vol: Any = 0.6, implied_vol: Any = 0.8, drift: Any = 0.0,
        jump_intensity: Any = 12.0, jump_mean: Any = -0.05, jump_std: Any = 0.08,
    ) -> None:
        super().__init__(s0, realized_vol, implied_vol, drift)
        self.jump_intensity = _positive("jump_intensity", jump_intensity, allow_zero=True)
        self.jump_std = _positive("jump_std", jump_std, allow_zero=True)
        try:
            self.jump_mean = float(jump_mean)
        except (TypeError, ValueError):
            raise ScenarioError(f"jump_mean must be a number, got {jump_mean!r}") from None
        if not math.isfinite(self.jump_mean):
            raise ScenarioError(f"jump_mean must be finite, got {jump_mean!r}")

    def price_paths(self, n_steps: int, step_seconds: float, seed: int, n_paths: int = 1) -> FloatArray:
        _grid(n_steps, step_seconds, n_paths)
        try:
            return jump_diffusion_paths(
                self.s0, self.drift, self.realized_vol, step_seconds / SECONDS_PER_YEAR, int(n_steps), int(n_paths), seed,
                jump_intensity=self.jump_intensity, jump_mean=self.jump_mean, jump_std=self.jump_std,
            )
        except PathError as exc:
            raise ScenarioError(str(exc)) from None


def load_price_file(path: Path | str) -> PricePath:
    """(timestamp, price) rows of a CSV or JSON file, validated; timestamps as given (seconds)."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(f"price file {p} does not exist")
    suffix = p.suffix.lower()
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"price file {p} cannot be read: {exc}") from None
    rows: list[tuple[str, Any, Any]] = []  # (where, timestamp, price)
    if suffix == ".csv":
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:2]] != ["timestamp", "price"]:
            raise ScenarioError(f"{p}: the first line must be the header 'timestamp,price', got {','.join(header or [])!r}")
        for line_no, row in enumerate(reader, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) < 2:
                raise ScenarioError(f"{p} line {line_no}: expected 'timestamp,price', got {','.join(row)!r}")
            rows.append((f"line {line_no}", row[0].strip(), row[1].strip()))
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"{p}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, list):
            raise ScenarioError(f"{p}: expected a JSON list of [timestamp, price] rows, got {type(data).__name__}")
        for i, item in enumerate(data):
            if isinstance(item, dict) and "timestamp" in item and "price" in item:
                rows.append((f"row {i}", item["timestamp"], item["price"]))
            elif isinstance(item, list) and len(item) == 2:
                rows.append((f"row {i}", item[0], item[1]))
            else:
                raise ScenarioError(f"{p} row {i}: expected [timestamp, price] or {{\"timestamp\", \"price\"}}, got {item!r}")
    else:
        raise ScenarioError(f"price file {p} must end in .csv or .json")
    ts, px = [], []
    for where, t, v in rows:
        try:
            tf, vf = float(t), float(v)
        except (TypeError, ValueError):
            raise ScenarioError(f"{p} {where}: timestamp and price must be numbers, got {t!r}, {v!r}") from None
        if not (math.isfinite(tf) and math.isfinite(vf)):
            raise ScenarioError(f"{p} {where}: timestamp and price must be finite, got {t!r}, {v!r}")
        if vf <= 0:
            raise ScenarioError(f"{p} {where}: price must be > 0, got {v!r}")
        if ts and tf <= ts[-1]:
            raise ScenarioError(f"{p} {where}: timestamps must increase, {tf:g} follows {ts[-1]:g}")
        ts.append(tf)
        px.append(vf)
    if len(ts) < 2:
        raise ScenarioError(f"{p}: needs at least 2 (timestamp, price) rows, has {len(ts)}")
    return PricePath(timestamps=np.array(ts), prices=np.array(px))


class FileScenario(_Scenario):
    """A recorded path, sampled every `step_seconds` from its first row (linear interpolation)."""

    name = "file"

    def __init__(self, path: Any, implied_vol: Any = 0.8) -> None:
        self.path = str(path)
        self.implied_vol = _positive("implied_vol", implied_vol)
        self._data = load_price_file(self.path)
        self.s0 = float(self._data.prices[0])

    def price_paths(self, n_steps: int, step_seconds: float, seed: int, n_paths: int = 1) -> FloatArray:
        _grid(n_steps, step_seconds, n_paths)
        if n_paths != 1:
            raise ScenarioError(f"a price file is one path; ask for 1 path, not {n_paths}")
        t = self._data.timestamps
        need = n_steps * float(step_seconds)
        span = float(t[-1] - t[0])
        if need > span * (1 + 1e-12):
            raise ScenarioError(f"{self.path} covers {span:g} s but {n_steps} steps of {step_seconds:g} s need {need:g} s")
        grid = t[0] + np.arange(n_steps + 1) * float(step_seconds)
        return np.interp(grid, t, self._data.prices)[None, :]


SCENARIOS: dict[str, type[_Scenario]] = {"gbm": GbmScenario, "jump": JumpDiffusionScenario, "file": FileScenario}

Scenario = GbmScenario | JumpDiffusionScenario | FileScenario


def make_scenario(name: str, **params: Any) -> Scenario:
    """The scenario called `name` (gbm, jump, file) built from keyword parameters."""
    cls = SCENARIOS.get(name)
    if cls is None:
        raise ScenarioError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}")
    code = cls.__init__.__code__
    accepted = list(code.co_varnames[1 : code.co_argcount])
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ScenarioError(f"unknown parameter {unknown[0]!r} for scenario {name}; accepted: {', '.join(accepted)}")
    if name == "file" and "path" not in params:
        raise ScenarioError("scenario file needs parameter 'path'")
    return cls(**params)  # type: ignore[return-value]
