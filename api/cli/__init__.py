"""The ``wangge`` command line. Each sub-module registers its commands on :data:`app`."""

from __future__ import annotations

import typer

from api.cli import apikey as apikey_commands
from api.cli import backtest as backtest_commands
from api.cli import db as db_commands
from api.cli import geocode as geocode_commands
from api.cli import hotspots as hotspots_commands
from api.cli import ingest as ingest_commands
from api.cli import jobs as jobs_commands
from api.cli import ledger as ledger_commands
from api.cli import load as load_commands
from api.cli import map as map_commands
from api.cli import notify as notify_commands
from api.cli import redraw as redraw_commands
from api.cli import serve as serve_commands
from api.cli import staff as staff_commands
from api.cli import user as user_commands

app = typer.Typer(
    name="wangge",
    help="网格 wangge: grids, standard addresses, disputes, risk and maps for a county centre.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (
    db_commands,
    serve_commands,
    geocode_commands,
    user_commands,
    load_commands,
    ingest_commands,
    map_commands,
    redraw_commands,
    staff_commands,
    ledger_commands,
    backtest_commands,
    hotspots_commands,
    jobs_commands,
    apikey_commands,
    notify_commands,
):
    module.register(app)


def main() -> None:
    """Entry point of the ``wangge`` script."""
    app()
