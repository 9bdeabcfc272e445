"""The `hedgekeeper` command line. Errors the package raises on purpose print as one line, exit code 2."""

from __future__ import annotations

import sys

import click

from hedgekeeper.errors import HedgekeeperError


@click.group()
@click.version_option(package_name="hedgekeeper")
def cli() -> None:
    """Options AMM, perp DEX, hedging keeper and market simulator on a local EVM chain."""


def _register() -> None:
    from hedgekeeper.commands.backtest import backtest_command
    from hedgekeeper.commands.deploy import deploy_command
    from hedgekeeper.commands.keeper import run_command, status_command
    from hedgekeeper.commands.simulate import simulate_command

    cli.add_command(deploy_command)
    cli.add_command(backtest_command)
    cli.add_command(run_command)
    cli.add_command(status_command)
    cli.add_command(simulate_command)


_register()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    except HedgekeeperError as exc:
        click.echo(f"error: {_one_line(exc)}", err=True)
        return 2
    except Exception as exc:  # a compiler or plugin error from deep inside Ape: still one line
        if type(exc).__module__.startswith(("ape", "solcx", "ape_solidity", "ape_foundry", "web3")):
            click.echo(f"error: {type(exc).__name__}: {_one_line(exc)}", err=True)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
