"""``wangge redraw --village CODE | --township CODE [--target N] [--keep-households] [--json]``."""

from __future__ import annotations

import json

import typer

from api.cli.common import engine_in_use, fail, info

SUMMARY_KEYS = (
    "plan",
    "grids",
    "households_min",
    "households_max",
    "max_deviation",
    "max_deviation_where_feasible",
    "grids_within_tolerance_share",
    "grids_within_tolerance_share_allowed",
    "grids_out_of_band_by_shape",
    "contiguous",
    "within_village",
    "households_moved",
    "grids_kept",
    "grids_split",
    "grids_merged",
    "grids_new",
    "groups",
    "polsby_popper_mean",
    "mean_distance_m",
    "seconds",
)


def register(app: typer.Typer) -> None:
    """Add ``redraw`` to ``app``."""

    @app.command()
    def redraw(
        village: str | None = typer.Option(None, "--village", help="12-digit village code"),
        township: str | None = typer.Option(None, "--township", help="9-digit township code"),
        county: str | None = typer.Option(None, "--county", help="6-digit county code"),
        target: float | None = typer.Option(
            None, "--target", help="households per grid (default: the county's median grid)"
        ),
        tolerance: float = typer.Option(0.15, "--tolerance", help="allowed deviation, fraction"),
        keep_households: bool = typer.Option(
            False,
            "--keep-households",
            help="balance by the fewest households moved (grids a little less compact)",
        ),
        as_json: bool = typer.Option(False, "--json", help="one JSON object on stdout"),
        apply: int | None = typer.Option(
            None, "--apply", help="apply the stored plan with this id instead of proposing"
        ),
    ) -> None:
        """Propose balanced, contiguous grids and ten-household groups, or apply a plan.

        The proposal is stored as a grid plan; review it (GET /api/v1/redraw/PLAN) and apply
        it with --apply PLAN.
        """
        from core.errors import WanggeError
        from geo.database.engine import transaction
        from geo.redraw import apply_plan, propose

        scopes = [c for c in (village, township, county) if c]
        if apply is None and len(scopes) != 1:
            raise fail("give exactly one of --village, --township or --county (or --apply PLAN)")
        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                if apply is not None:
                    result = apply_plan(session=session, plan_id=apply, actor="cli")
                else:
                    if not as_json:
                        info(f"redrawing {scopes[0]} …")
                    result = propose(
                        session=session,
                        scope=scopes[0],
                        target=target,
                        tolerance=tolerance,
                        keep_households=keep_households,
                        created_by="cli",
                    )
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
            return
        if apply is not None:
            for key, value in result.items():
                typer.echo(f"{key:28} {value}")
            return
        for key in SUMMARY_KEYS:
            if key in result:
                typer.echo(f"{key:28} {result[key]}")
        if result.get("summary"):
            typer.echo(result["summary"])
        typer.echo(
            f"review: GET /api/v1/redraw/{result['plan']}; edit by hand: /maps/redraw/"
            f"{result['plan']}/desk; apply: wangge redraw --apply {result['plan']}"
        )
