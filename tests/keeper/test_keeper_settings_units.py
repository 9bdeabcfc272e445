"""Settings layering and bounds, and the WAD / quote-unit conversions of the chain reader."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from mpmath import mp, mpf

from hedgekeeper.errors import ConfigError
from hedgekeeper.keeper.reader import snapshot_from_raw
from hedgekeeper.keeper.settings import ANVIL_DEFAULT_KEY, load_settings
from hedgekeeper.keeper.units import SECONDS_PER_YEAR, from_quote, from_wad, to_quote, to_wad


def test_defaults_are_local_and_safe():
    s = load_settings()
    assert s.rpc_url == "http://127.0.0.1:8545"
    assert s.private_key.get_secret_value() == ANVIL_DEFAULT_KEY and s.uses_default_key()
    assert ANVIL_DEFAULT_KEY not in repr(s)
    assert not s.dry_run and s.duties.hedge


def test_layers_file_then_environment_then_overrides(tmp_path, monkeypatch):
    toml = tmp_path / "keeper.toml"
    toml.write_text('slippage = 0.02\ncycle_interval_s = 5\npolicy = "a"\n[margin]\nmin_ratio = 0.05\n[duties]\noracle = false\n')
    s = load_settings(toml)
    assert (s.slippage, s.cycle_interval_s, s.margin.min_ratio, s.duties.oracle) == (0.02, 5.0, 0.05, False)
    monkeypatch.setenv("HEDGEKEEPER_SLIPPAGE", "0.03")
    monkeypatch.setenv("HEDGEKEEPER_MARGIN__MAX_RATIO", "0.5")
    s = load_settings(toml)
    assert (s.slippage, s.margin.max_ratio, s.margin.min_ratio) == (0.03, 0.5, 0.05)
    s = load_settings(toml, slippage=0.04, policy=None)
    assert s.slippage == 0.04 and s.policy == "a"


def test_json_and_dotenv_files(tmp_path):
    j = tmp_path / "k.json"
    j.write_text(json.dumps({"policy": "p", "policy_params": {"band": 0.5}, "dry_run": True}))
    s = load_settings(j)
    assert s.policy == "p" and s.policy_params == {"band": 0.5} and s.dry_run
    e = tmp_path / "k.env"
    e.write_text('# comment\nHEDGEKEEPER_DEADLINE_S=30\nHEDGEKEEPER_DUTIES__SETTLE=false\nHEDGEKEEPER_POLICY_PARAMS={"band": 1}\n')
    s = load_settings(e)
    assert s.deadline_s == 30 and not s.duties.settle and s.policy_params == {"band": 1}


@pytest.mark.parametrize("kw, needle", [
    ({"slippage": -0.1}, "slippage"),
    ({"slippage": 0.9}, "slippage"),
    ({"policy_params": {"band": -1.0}}, "band must be a finite number >= 0"),
    ({"margin": {"min_ratio": 0.5, "target_ratio": 0.2}}, "min_ratio <= target_ratio"),
    ({"cycle_interval_s": 0}, "cycle_interval_s"),
    ({"private_key": "0x1234"}, "private_key must be 32 bytes"),
    ({"rpc_url": "ws://x"}, "rpc_url must be an http"),
    ({"metrics_port": 70000}, "metrics_port"),
    ({"no_such_setting": 1}, "no_such_setting"),
    ({"duties": {"hedging": True}}, "duties.hedging"),
])
def test_bad_settings_are_one_clear_line(kw, needle):
    with pytest.raises(ConfigError) as info:
        load_settings(**kw)
    text = str(info.value)
    assert needle in text and "\n" not in text
    if "private_key" in kw:
        assert kw["private_key"] not in text


def test_bad_config_files(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("slippage = = 1")
    with pytest.raises(ConfigError, match="malformed"):
        load_settings(bad)


def test_wad_and_quote_conversions_against_exact_arithmetic():
    mp.dps = 50
    for raw in [1, 10**18, 2_000 * 10**18 + 123_456_789, -(3 * 10**17) - 1, 2**200]:
        assert from_wad(raw) == float(mpf(raw) / mpf(10**18))
    for x in [0.0, 1.0, 0.1, 2_345.678901, -7.25e-9, 1e30]:
        assert to_wad(x) == int(Decimal(repr(x)) * 10**18)
        assert from_wad(to_wad(x)) == x
    assert to_quote(1.2345678) == 1_234_567  # toward zero: never move more than asked
    assert to_quote(-1.2345678) == -1_234_567
    assert from_quote(1_234_567) == 1.234567


def _raw(**kw):
    base = dict(timestamp=1_000_000, spot=2_000 * 10**18, markPrice=2_001 * 10**18, indexPrice=1_999 * 10**18,
                fundingRatePerDay=-(10**15), optionsDelta=-(5 * 10**18) // 2, optionsGamma=10**16, optionsVega=300 * 10**18,
                optionsTheta=-(400 * 10**18), hedgeSize=2 * 10**18, netDelta=-(10**18) // 2, hedgeMargin=1_000 * 10**6,
                hedgeEquity=-(5 * 10**6), hedgeMaintenanceMargin=200 * 10**6, freeCash=50_000 * 10**6 + 1,
                greeksUpdatedAt=999_000, nearestExpiry=1_000_000 + SECONDS_PER_YEAR // 4, expiredUnsettledBoards=0)
    base.update(kw)
    return base


def test_snapshot_conversion():
    s = snapshot_from_raw(_raw())
    b = s.book
    assert (b.spot, b.mark, b.index) == (2000.0, 2001.0, 1999.0)
    assert b.funding_rate_per_day == -0.001
    assert (b.options_delta, b.hedge_size, b.net_delta) == (-2.5, 2.0, -0.5)
    assert (b.options_gamma, b.options_vega, b.options_theta) == (0.01, 300.0, -400.0)
    assert (b.hedge_margin, b.hedge_equity, b.hedge_maintenance_margin, b.free_cash) == (1000.0, -5.0, 200.0, 50_000.000001)
    assert b.time_to_expiry_years == 0.25
    assert (s.greeks_updated_at, s.nearest_expiry, s.expired_unsettled_boards) == (999_000.0, 1_000_000 + SECONDS_PER_YEAR // 4, 0)


def test_snapshot_conversion_empty_book_and_past_expiry():
    assert snapshot_from_raw(_raw(nearestExpiry=0)).book.time_to_expiry_years == 0.0
    s = snapshot_from_raw(_raw(nearestExpiry=999_999, expiredUnsettledBoards=2))
    assert s.book.time_to_expiry_years == 0.0 and s.expired_unsettled_boards == 2


def test_policies_resolve_by_name_with_parameters():
    from hedgekeeper.keeper.policy_factory import available_policies, build_policy

    assert {"fixed_band", "fixed_interval", "whalley_wilmott"} <= set(available_policies())
    assert build_policy("fixed_band", {"band": 0.2}).band == 0.2
    assert build_policy("fixed_band").band == 1.0  # default parameters
    assert build_policy("whalley_wilmott", {"gamma_risk": 0.01}).name == "whalley_wilmott"
    assert build_policy("keeper_test_policy:BandPolicy", {"band": 0.3}).band == 0.3
    for name, params, needle in [
        ("fixed_band", {"band": -1}, "band"),
        ("fixed_band", {"bnd": 1}, "bnd"),
        ("whalley_wilmott", {}, "gamma_risk"),
        ("nope", {}, "unknown policy 'nope'"),
        ("no_such_module:X", {}, "cannot load policy"),
    ]:
        with pytest.raises(ConfigError, match=needle):
            build_policy(name, params)
