"""``wangge map``: write the map pages to standalone HTML files (no server needed).

By default every script and stylesheet is inlined, so the file opens anywhere, offline.
``--assets DIR`` copies the assets into a folder next to the file and links them instead
(smaller pages when several are saved); ``--assets /static`` or a URL links a server's copy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from api.cli.common import engine_in_use, fail, info

LOCAL_OPERATOR_ROLE = "county_centre"


def _asset_options(assets: str, output: Path):
    from maps.assets import AssetOptions, copy_static

    if assets == "inline":
        return AssetOptions(inline=True)
    if assets.startswith(("http://", "https://", "/")):
        return AssetOptions(base_url=assets)
    folder = (output.parent / assets).resolve()
    copy_static(folder)
    return AssetOptions(base_url=Path(assets).as_posix())


def _beijing_now() -> str:
    """Now in Beijing time, as the pages the app serves stamp it."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def _write(output: Path, html: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    info(f"wrote {output} ({len(html.encode('utf-8')) / 1e6:.2f} MB)")


def register(app: typer.Typer) -> None:
    """Add ``map command-room | hotspots | report | redraw`` to ``app``."""
    group = typer.Typer(help="Write map pages to HTML files.", no_args_is_help=True)
    app.add_typer(group, name="map")
    output_opt = typer.Option(..., "-o", "--output", help="HTML file to write")
    county_opt = typer.Option(None, "--county", help="county code (default: the first loaded)")
    assets_opt = typer.Option(
        "inline", "--assets", help="inline | a folder next to the file | a base URL"
    )

    def _context(county: str | None):
        from core.principal import Principal
        from services.map_layers import map_settings

        engine = engine_in_use()
        user = Principal(username="cli", role=LOCAL_OPERATOR_ROLE)
        return engine, user, map_settings()

    @group.command("command-room")
    def command_room_cmd(
        output: Path = output_opt, county: str | None = county_opt, assets: str = assets_opt
    ) -> None:
        """The command-room map as a snapshot of the current data."""
        from sqlalchemy.orm import Session

        from core.errors import WanggeError
        from geo.places.counties import which_county
        from maps.command_room import command_room_page, render_page
        from services import map_layers

        engine, user, settings = _context(county)
        basemap = settings.to_basemap()
        try:
            with Session(engine) as session:
                code = which_county(session=session, requested=county)
                built = map_layers.command_room_layers(
                    session=session,
                    user=user,
                    county=code,
                    gcj02=basemap.shift_to_gcj02,
                    names=map_layers.SNAPSHOT_LAYERS,
                )
                name = map_layers.county_name(session=session, county=code)
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        m = command_room_page(
            built,
            title=f"{name} 综治中心 网格态势",
            subtitle=f"快照 snapshot {_beijing_now()} 北京时间",
            basemap=basemap,
            assets=_asset_options(assets, output),
        )
        _write(output, render_page(m))

    @group.command("hotspots")
    def hotspots_cmd(
        output: Path = output_opt, county: str | None = county_opt, assets: str = assets_opt
    ) -> None:
        """The hotspot review map (model risk and Gi* side by side, period slider)."""
        from sqlalchemy.orm import Session

        from core.errors import WanggeError
        from geo.places.counties import which_county
        from maps.command_room import render_page
        from maps.hotspots import hotspot_review_map
        from services.map_layers import review_map_data

        engine, _, settings = _context(county)
        try:
            with Session(engine) as session:
                code = which_county(session=session, requested=county)
                data = review_map_data(session=session, county=code)
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        m = hotspot_review_map(
            grids=data["grids"],
            scores=data["scores"],
            admin_units=data["admin_units"],
            basemap=settings.to_basemap(),
            assets=_asset_options(assets, output),
        )
        _write(output, render_page(m))

    @group.command("report")
    def report_cmd(
        output: Path = output_opt,
        county: str | None = county_opt,
        period: str | None = typer.Option(None, help="YYYY-MM-DD (default: the latest)"),
    ) -> None:
        """The printable A4 hotspot review report."""
        from sqlalchemy.orm import Session

        from core.errors import WanggeError
        from geo.places.counties import which_county
        from maps.report import hotspot_report_html
        from services.map_layers import review_map_data

        engine, _, _ = _context(county)
        try:
            with Session(engine) as session:
                code = which_county(session=session, requested=county)
                data = review_map_data(session=session, county=code, boundaries=False)
                html = hotspot_report_html(
                    grids=data["grids"],
                    scores=data["scores"],
                    period=period,
                    area_name=data["name"],
                    generated_at=dt.datetime.now(dt.UTC),
                )
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        _write(output, html)

    @group.command("redraw")
    def redraw_cmd(
        plan: int = typer.Argument(..., help="redraw plan id"),
        output: Path = output_opt,
        assets: str = assets_opt,
    ) -> None:
        """A redraw plan: current and proposed grids side by side."""
        from sqlalchemy.orm import Session

        from core.errors import NotFound
        from maps.command_room import render_page
        from services.map_layers import redraw_plan, redraw_plan_map

        engine, _, settings = _context(None)
        try:
            with Session(engine) as session:
                current, proposed, summary = redraw_plan(session=session, plan_id=plan)
        except NotFound as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        m = redraw_plan_map(
            current,
            proposed,
            summary,
            basemap=settings.to_basemap(),
            assets=_asset_options(assets, output),
        )
        _write(output, render_page(m))
