"""`ape run keeper --network ethereum:local:foundry`: run the hedging keeper on the network Ape is connected
to. Settings come from HEDGEKEEPER_* environment variables (and HEDGEKEEPER_CONFIG, a settings file); the
RPC URL is Ape's provider's; the deployment file defaults to deployments/<chain id>.json.

    HEDGEKEEPER_ONCE=1 ape run keeper --network ethereum:local:foundry     # one cycle
    HEDGEKEEPER_DRY_RUN=true ape run keeper --network ...                   # decide and log only"""

import os
from pathlib import Path

from ape import chain, networks

from hedgekeeper.keeper.app import build_keeper
from hedgekeeper.keeper.logs import configure_logging
from hedgekeeper.keeper.settings import load_settings
from hedgekeeper.keeper.status_view import report_table


def main() -> None:
    configure_logging()
    config = os.environ.get("HEDGEKEEPER_CONFIG")
    deployment = os.environ.get("HEDGEKEEPER_DEPLOYMENT") or str(Path("deployments") / f"{chain.chain_id}.json")
    settings = load_settings(Path(config) if config else None, rpc_url=networks.provider.http_uri, deployment=deployment)
    once = os.environ.get("HEDGEKEEPER_ONCE", "").lower() in ("1", "true", "yes")
    app = build_keeper(settings)
    try:
        if settings.metrics_port:
            app.keeper.metrics.serve(settings.metrics_port)
        app.keeper.run(once=once)
        if once and app.keeper.last_report is not None:
            from rich.console import Console

            Console().print(report_table(app.keeper.last_report, app.keeper.cycles))
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
