"""Resolve the configured hedging policy by name.

Names come from hedgekeeper.strategy.policies: its `POLICIES` mapping (name -> factory) when it defines one,
else every class there with a string `name` attribute. `package.module:Attribute` names any other policy
class or factory. Parameters are passed as keyword arguments; bad ones fail as one ConfigError line."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from hedgekeeper.errors import ConfigError, HedgekeeperError
from hedgekeeper.strategy.types import HedgePolicy

POLICY_MODULE = "hedgekeeper.strategy.policies"

# Parameters used when the settings give none for these policies (units of underlying / seconds).
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {"fixed_band": {"band": 1.0}, "fixed_interval": {"interval_seconds": 3600.0}}


def available_policies() -> dict[str, Callable[..., Any]]:
    """Policy name -> factory, from hedgekeeper.strategy.policies (empty when that module is absent)."""
    try:
        module = importlib.import_module(POLICY_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != POLICY_MODULE:
            raise
        return {}
    registry = getattr(module, "POLICIES", None)
    if isinstance(registry, dict):
        return dict(registry)
    found: dict[str, Callable[..., Any]] = {}
    for _, obj in inspect.getmembers(module, inspect.isclass):
        name = getattr(obj, "name", None)
        if isinstance(name, str) and obj.__module__ == module.__name__ and callable(getattr(obj, "decide", None)):
            found[name] = obj
    return found


def _import_attr(spec: str) -> Callable[..., Any]:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot load policy {spec!r}: {exc}") from None


def build_policy(name: str, params: dict[str, Any] | None = None) -> HedgePolicy:
    """An instance of the policy called `name`, configured with `params`."""
    params = dict(params or DEFAULT_PARAMS.get(name, {}))
    if ":" in name:
        factory = _import_attr(name)
    else:
        known = available_policies()
        if name not in known:
            listed = ", ".join(sorted(known)) or "none installed"
            raise ConfigError(f"unknown policy {name!r} (known: {listed}; or give package.module:Class)")
        factory = known[name]
    try:
        policy = factory(**params)
    except (TypeError, ValueError, HedgekeeperError) as exc:
        raise ConfigError(f"bad parameters for policy {name!r}: {str(exc).splitlines()[0]}") from None
    if not callable(getattr(policy, "decide", None)):
        raise ConfigError(f"policy {name!r} has no decide(snapshot, state) method")
    return policy  # type: ignore[no-any-return]
