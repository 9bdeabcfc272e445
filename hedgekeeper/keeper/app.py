"""Assemble a keeper from settings: check the configuration, the node, the deployment and the chain id
(each failure one clear error line), then wire reader, executor, journal, policy and metrics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from hedgekeeper.deployment import Deployment
from hedgekeeper.errors import ChainError, ConfigError, DeploymentError
from hedgekeeper.keeper.abi import ContractCodec
from hedgekeeper.keeper.calls import ActionEncoder
from hedgekeeper.keeper.errors import RpcError, TransientRpcError
from hedgekeeper.keeper.executor import Executor, ExecutorHooks
from hedgekeeper.keeper.journal import Journal
from hedgekeeper.keeper.logs import get_logger
from hedgekeeper.keeper.metrics import KeeperMetrics
from hedgekeeper.keeper.policy_factory import build_policy
from hedgekeeper.keeper.reader import SNAPSHOT_FN, ChainReader
from hedgekeeper.keeper.rpc import RetryingRpc, build_rpc, hex_int
from hedgekeeper.keeper.runner import Keeper
from hedgekeeper.keeper.settings import LOCAL_CHAIN_IDS, KeeperSettings
from hedgekeeper.strategy.types import HedgePolicy


@dataclass
class ChainContext:
    rpc: RetryingRpc
    chain_id: int
    deployment: Deployment
    pool: ContractCodec
    oracle: ContractCodec | None
    perp: ContractCodec | None
    market: ContractCodec | None = None


def _codec(dep: Deployment, name: str) -> ContractCodec | None:
    if name not in dep.contracts:
        return None
    c = dep.contracts[name]
    return ContractCodec(name, c.address, c.abi)


def connect(settings: KeeperSettings, rpc_wrap: Callable[[Any], Any] | None = None) -> ChainContext:
    """The node (answering, right chain id) and the deployment (present, same chain, with a pool)."""
    if not settings.deployment.is_file():
        raise DeploymentError(f"deployment file not found: {settings.deployment} (run `hedgekeeper deploy` first)")
    dep = Deployment.read(settings.deployment)
    rpc = build_rpc(settings.rpc_url, attempts=min(settings.rpc_retries, 3), timeout_s=settings.rpc_timeout_s, wrap=rpc_wrap)
    try:
        chain_id = hex_int(rpc.request("eth_chainId", []))
    except (TransientRpcError, RpcError) as exc:
        raise ChainError(f"no Ethereum node answers at {settings.rpc_url} ({exc})") from None
    rpc = build_rpc(settings.rpc_url, attempts=settings.rpc_retries, timeout_s=settings.rpc_timeout_s, wrap=rpc_wrap)
    if settings.chain_id is not None and chain_id != settings.chain_id:
        raise DeploymentError(f"the node at {settings.rpc_url} reports chain id {chain_id} but the settings expect {settings.chain_id}")
    if dep.chain_id != chain_id:
        raise DeploymentError(f"deployment file {settings.deployment} is for chain id {dep.chain_id} but the node reports {chain_id}")
    if settings.uses_default_key() and chain_id not in LOCAL_CHAIN_IDS:
        raise ConfigError(f"chain id {chain_id} is not a local chain: set HEDGEKEEPER_PRIVATE_KEY (the default key is anvil's public test key)")
    pool = _codec(dep, settings.pool_contract)
    if pool is None:
        raise DeploymentError(f"deployment has no contract named {settings.pool_contract!r} (has: {', '.join(sorted(dep.contracts))})")
    if not pool.has(SNAPSHOT_FN):
        raise DeploymentError(f"contract {settings.pool_contract} has no {SNAPSHOT_FN}() in its ABI")
    return ChainContext(rpc, chain_id, dep, pool, _codec(dep, settings.oracle_contract), _codec(dep, settings.perp_contract),
                        _codec(dep, settings.market_contract))


def effective_settings(settings: KeeperSettings, ctx: ChainContext) -> KeeperSettings:
    """Switch off duties whose contract the deployment lacks (logged once)."""
    off: dict[str, bool] = {}
    if ctx.oracle is None and settings.duties.oracle:
        off["oracle"] = False
    if ctx.perp is None and settings.duties.liquidate_perps:
        off["liquidate_perps"] = False
    if ctx.perp is None and settings.duties.deleverage:
        off["deleverage"] = False
    if (ctx.oracle is None or ctx.market is None) and settings.duties.surface:
        off["surface"] = False
    if off:
        get_logger().warning("duties switched off: contract missing from deployment", duties=sorted(off))
        return settings.model_copy(update={"duties": settings.duties.model_copy(update=off)})
    return settings


def without_unauthorised_surface_posts(settings: KeeperSettings, ctx: ChainContext, keeper: str) -> KeeperSettings:
    """Switch the surface duty off (logged once) when the keeper's account lacks the oracle's SURFACE_KEEPER_ROLE:
    every post would revert and cost gas."""
    oracle = ctx.oracle
    if not settings.duties.surface or oracle is None or not (oracle.has("SURFACE_KEEPER_ROLE") and oracle.has("hasRole")):
        return settings
    (role,) = oracle.decode("SURFACE_KEEPER_ROLE", ctx.rpc.request("eth_call", [{"to": oracle.address, "data": oracle.encode("SURFACE_KEEPER_ROLE")}, "latest"]))
    call = {"to": oracle.address, "data": oracle.encode("hasRole", role, keeper)}
    (allowed,) = oracle.decode("hasRole", ctx.rpc.request("eth_call", [call, "latest"]))
    if allowed:
        return settings
    get_logger().warning("duty surface switched off: the keeper lacks the oracle's SURFACE_KEEPER_ROLE", account=keeper)
    return settings.model_copy(update={"duties": settings.duties.model_copy(update={"surface": False})})


@dataclass
class KeeperApp:
    settings: KeeperSettings
    ctx: ChainContext
    account: LocalAccount
    journal: Journal
    executor: Executor
    keeper: Keeper

    def close(self) -> None:
        self.journal.close()


def build_keeper(
    settings: KeeperSettings,
    policy: HedgePolicy | None = None,
    rpc_wrap: Callable[[Any], Any] | None = None,
    hooks: ExecutorHooks | None = None,
    metrics: KeeperMetrics | None = None,
    reconcile: bool = True,
) -> KeeperApp:
    """A ready keeper. The policy is resolved first (a bad one fails before touching the network); pending
    journal entries are reconciled before the first decision."""
    if policy is None and settings.duties.hedge:
        policy = build_policy(settings.policy, settings.policy_params)
    ctx = connect(settings, rpc_wrap)
    settings = effective_settings(settings, ctx)
    account: LocalAccount = Account.from_key(settings.private_key.get_secret_value())
    settings = without_unauthorised_surface_posts(settings, ctx, account.address)
    journal = Journal(settings.journal_path, sync_intents=settings.journal_sync_intents)
    executor = Executor(ctx.rpc, account, ctx.chain_id, journal, settings, hooks=hooks)
    if reconcile:
        for o in executor.reconcile():
            get_logger().info("reconciled at start", kind=o.kind, status=o.status, tx=o.tx_hash, detail=o.detail or None)
    reader = ChainReader(ctx.rpc, ctx.pool, settings, perp=ctx.perp, never_liquidate=(account.address,), oracle=ctx.oracle,
                         market=ctx.market)
    keeper = Keeper(settings, reader, executor, ActionEncoder(ctx.pool, ctx.oracle, ctx.perp), policy, metrics)
    return KeeperApp(settings, ctx, account, journal, executor, keeper)
