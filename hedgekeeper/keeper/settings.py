"""Keeper settings: defaults, then a TOML/JSON/.env file, then HEDGEKEEPER_* environment variables, then
explicit overrides (command-line options), each layer overriding the previous one. Nested fields use
`__` in environment variables (HEDGEKEEPER_MARGIN__MIN_RATIO=0.1, HEDGEKEEPER_DUTIES__ORACLE=false).

Every value is bounds-checked; `load_settings` turns any problem into one ConfigError line."""

from __future__ import annotations

import json
import math
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from hedgekeeper.errors import ConfigError

# anvil's first default account (public test key of the "test test ... junk" mnemonic): local chains only.
ANVIL_DEFAULT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
LOCAL_CHAIN_IDS = frozenset({31337, 1337})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duties(_Strict):
    """Which duties the keeper performs; each can be switched off."""

    hedge: bool = True
    margin: bool = True
    oracle: bool = True
    greeks: bool = True
    settle: bool = True
    liquidate_shorts: bool = True
    liquidate_perps: bool = True
    surface: bool = True  # re-post implied-vol surfaces before they go stale, toward SurfaceTarget
    deleverage: bool = True  # settle the perp market's pending deleveraging debt


class MarginRange(_Strict):
    """Target range of the hedge account's equity as a fraction of the hedge notional |size| x mark.

    Below `min_ratio` the keeper deposits up to `target_ratio`; above `max_ratio` it withdraws down to
    `target_ratio`. `floor` (quote) is kept whatever the notional; equity is also kept at least
    `maintenance_buffer` x the maintenance requirement."""

    min_ratio: float = Field(0.10, ge=0.0, le=10.0)
    target_ratio: float = Field(0.15, ge=0.0, le=10.0)
    max_ratio: float = Field(0.30, ge=0.0, le=10.0)
    floor: float = Field(0.0, ge=0.0)
    maintenance_buffer: float = Field(1.5, ge=1.0, le=100.0)
    min_transfer: float = Field(1.0, ge=0.0)

    @model_validator(mode="after")
    def _ordered(self) -> "MarginRange":
        if not self.min_ratio <= self.target_ratio <= self.max_ratio:
            raise ValueError(
                f"need min_ratio <= target_ratio <= max_ratio, got {self.min_ratio} / {self.target_ratio} / {self.max_ratio}"
            )
        return self


class Liquidation(_Strict):
    """When a liquidation pays: estimated reward minus gas cost at least `min_profit` (quote)."""

    min_profit: float = Field(0.0, ge=0.0)
    gas_per_liquidation: int = Field(400_000, gt=0)
    short_reward_estimate: float = Field(10.0, ge=0.0)  # quote per short-option liquidation
    perp_reward_fraction: float = Field(0.05, ge=0.0, le=1.0)  # of the account's maintenance margin
    scan_count: int = Field(100, gt=0, le=10_000)
    max_per_cycle: int = Field(5, gt=0, le=1_000)
    scan_interval_s: float = Field(10.0, ge=0.0)  # chain seconds between scans for liquidatable accounts
    deleverage_max_targets: int = Field(50, gt=0, le=1_000)  # accounts passed to one perp.deleverage(targets)


class SurfaceTarget(_Strict):
    """The implied-volatility surface the keeper re-posts for every live expiry (vols as fractions a year).

    Rule, per expiry: ATM vol = `atm_vol_by_expiry[expiry]` if configured, else `realized_ratio` x the oracle's
    realized vol if `realized_ratio` > 0, else the flat `atm_vol`; skew = `skew` (vol per unit of ln(K/S)).
    The target is clamped into the oracle's bounds and approached by at most the oracle's per-post change
    limits (hedgekeeper.oracle_surface.next_post). Every live expiry is re-posted once its post is older than
    `refresh_fraction` x the oracle's maxSurfaceAge, or when its target differs from the last post by more
    than `tolerance` (ATM vol or skew); when one expiry is due, every expiry that may post goes in the same
    postSurfaces transaction. Expiries closer than `min_time_to_expiry_s` are left alone."""

    atm_vol: float = Field(0.8, gt=0.0, le=4.0)
    atm_vol_by_expiry: dict[int, float] = Field(default_factory=dict)
    realized_ratio: float = Field(0.0, ge=0.0, le=4.0)
    skew: float = Field(0.0, ge=-4.0, le=4.0)
    refresh_fraction: float = Field(0.5, gt=0.0, lt=1.0)
    tolerance: float = Field(0.005, ge=0.0, le=1.0)
    min_time_to_expiry_s: float = Field(300.0, ge=0.0)
    scan_interval_s: float = Field(60.0, ge=0.0)  # chain seconds between reads of the listed expiries and posts

    @field_validator("atm_vol_by_expiry")
    @classmethod
    def _vols_positive(cls, v: dict[int, float]) -> dict[int, float]:
        for expiry, vol in v.items():
            if expiry <= 0 or not (0.0 < vol <= 4.0):
                raise ValueError(f"atm_vol_by_expiry needs expiry > 0 and 0 < vol <= 4, got {expiry}: {vol}")
        return v


class Gas(_Strict):
    """Gas-price strategy: EIP-1559 fees, max fee = base fee x `base_fee_multiplier` + tip."""

    priority_fee_gwei: float = Field(0.0, ge=0.0, le=10_000.0)
    base_fee_multiplier: float = Field(2.0, ge=1.0, le=10.0)
    refresh_s: float = Field(12.0, gt=0.0)
    gas_limit: int = Field(3_000_000, ge=21_000, le=30_000_000)
    estimate: bool = False  # eth_estimateGas before signing (one more round trip per transaction)
    replace_after_s: float = Field(120.0, ge=0.0)  # re-sign a transaction still pending this long with fees +12.5% (0: never)


class KeeperSettings(BaseSettings):
    """Everything the keeper can be told. Units: seconds, fractions, quote currency, units of underlying."""

    model_config = SettingsConfigDict(
        env_prefix="HEDGEKEEPER_", env_nested_delimiter="__", extra="forbid", frozen=True, case_sensitive=False
    )

    rpc_url: str = "http://127.0.0.1:8545"
    deployment: Path = Path("deployments/local.json")
    chain_id: int | None = Field(None, gt=0)  # expected chain id; the node and the deployment must match
    private_key: SecretStr = SecretStr(ANVIL_DEFAULT_KEY)

    pool_contract: str = "OptionsPool"
    perp_contract: str = "PerpMarket"
    oracle_contract: str = "VolatilityOracle"
    market_contract: str = "OptionMarket"

    policy: str = "fixed_band"  # fixed_band, fixed_interval, whalley_wilmott, or package.module:Class
    policy_params: dict[str, float | int | bool | str] = Field(default_factory=dict)
    duties: Duties = Duties()

    cycle_interval_s: float = Field(2.0, gt=0.0, le=86_400.0)
    oracle_interval_s: float = Field(3_600.0, gt=0.0)  # fallback cadence, used only when the oracle's state is unread
    greeks_max_age_s: float = Field(300.0, gt=0.0)
    greeks_refresh_drift: float = Field(0.05, gt=0.0)  # refresh when |gamma| x spot move since refresh >= this (underlying)

    slippage: float = Field(0.005, ge=0.0, lt=0.5)  # limit price = mark x (1 +/- slippage)
    deadline_s: int = Field(120, gt=0, le=86_400)
    max_hedge_size: float = Field(math.inf, gt=0.0)  # cap per hedge trade, units of underlying
    min_trade_size: float = Field(1e-6, ge=0.0)
    min_hedge_interval_s: float = Field(0.0, ge=0.0)
    urgent_delta: float = Field(math.inf, gt=0.0)  # |net delta| that overrides min_hedge_interval_s
    trade_cost_rate: float = Field(0.0005, ge=0.0, lt=1.0)  # one-way fee + impact, fraction of notional
    funding_horizon_days: float = Field(1.0, ge=0.0, le=365.0)
    risk_free_rate: float = Field(0.0, ge=-1.0, le=1.0)

    margin: MarginRange = MarginRange()
    liquidation: Liquidation = Liquidation()
    surface: SurfaceTarget = SurfaceTarget()
    gas: Gas = Gas()

    receipt_poll_s: float = Field(0.005, gt=0.0, le=5.0)
    receipt_timeout_s: float = Field(60.0, gt=0.0)
    rpc_retries: int = Field(6, ge=1, le=50)
    rpc_timeout_s: float = Field(10.0, gt=0.0)

    journal_path: Path = Path("keeper-journal.sqlite")
    journal_sync_intents: bool = True  # fsync each intent before sending (survives power loss, ~1 fsync per tx)
    dry_run: bool = False
    metrics_port: int = Field(0, ge=0, le=65_535)  # 0: no metrics endpoint

    @field_validator("private_key")
    @classmethod
    def _key_shape(cls, v: SecretStr) -> SecretStr:
        raw = v.get_secret_value()
        body = raw[2:] if raw.startswith("0x") else raw
        if len(body) != 64 or any(c not in "0123456789abcdefABCDEF" for c in body):
            raise ValueError("private_key must be 32 bytes of hex (64 hex digits, optional 0x)")
        return v

    @field_validator("policy_params")
    @classmethod
    def _params_sane(cls, v: dict[str, float | int | bool | str]) -> dict[str, float | int | bool | str]:
        for key, value in v.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"policy parameter {key} must be a finite number >= 0, got {value}")
        return v

    @field_validator("rpc_url")
    @classmethod
    def _url_shape(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"rpc_url must be an http(s) URL, got {v!r}")
        return v

    @field_validator("policy")
    @classmethod
    def _policy_named(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("policy must name a hedging policy")
        return v.strip()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, dotenv_settings, _FileSource(settings_cls))

    def uses_default_key(self) -> bool:
        return self.private_key.get_secret_value().lower().removeprefix("0x") == ANVIL_DEFAULT_KEY[2:]


_FILE_DATA: ContextVar[dict[str, Any]] = ContextVar("_FILE_DATA", default={})


class _FileSource(PydanticBaseSettingsSource):
    """The config file's contents, below environment variables in priority."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        data = _FILE_DATA.get()
        return data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_FILE_DATA.get())


def read_config_file(path: Path) -> dict[str, Any]:
    """A TOML (.toml), JSON (.json) or dotenv (.env or anything else) file as a settings dict."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    text = path.read_text()
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
            data = data.get("hedgekeeper", data)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _parse_dotenv(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"config file {path} is malformed: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a table of settings")
    return data


def _parse_dotenv(text: str) -> dict[str, Any]:
    """KEY=VALUE lines with HEDGEKEEPER_ prefix; nested keys with `__`."""
    out: dict[str, Any] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip().removeprefix("export ").strip().lower().removeprefix("hedgekeeper_")
        value = value.strip().strip("'\"")
        parts = key.split("__")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = json.loads(value) if parts[-1] == "policy_params" else value
    return out


def describe_validation_error(exc: ValidationError) -> str:
    """First problem of a pydantic ValidationError as one line: `setting a.b: message (got value)`."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ())) or "settings"
    msg = err.get("msg", "invalid").removeprefix("Value error, ")
    got = err.get("input")
    shown = "" if isinstance(got, dict) or got is None else f" (got {got!r})"
    if "private_key" in loc:
        shown = ""
    more = len(exc.errors()) - 1
    return f"invalid setting {loc}: {msg}{shown}" + (f" [+{more} more]" if more else "")


def load_settings(config_file: Path | None = None, **overrides: Any) -> KeeperSettings:
    """Settings from defaults < `config_file` < HEDGEKEEPER_* environment < `overrides` (None values skipped)."""
    data = read_config_file(config_file) if config_file is not None else {}
    token = _FILE_DATA.set(data)
    try:
        return KeeperSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None
    finally:
        _FILE_DATA.reset(token)
