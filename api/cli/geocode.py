"""``wangge geocode FILE --column COL -o OUT.csv``: address text (or GPS columns) → grids."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from api.cli.common import engine_in_use, fail, info, progress

OUTPUT_COLUMNS = (
    "address_code", "grid_code", "level", "score", "lon", "lat", "level_zh", "status",
    "standard_address", "township_name", "village_name", "grid_name", "reason", "conflicts",
    "candidates",
)  # fmt: skip


def _text_row(result) -> dict:
    """One output row of a text result: codes, names, reason, conflicts and candidates."""
    row = {k: getattr(result, k) for k in OUTPUT_COLUMNS if k not in ("conflicts", "candidates")}
    row["status"] = result.status or ""
    row["conflicts"] = "；".join(c.message for c in result.conflicts)
    row["candidates"] = "；".join(
        f"{c.code} {c.township or ''}{c.name} {c.score:.2f}" for c in result.candidates
    )
    return row


CHUNK = 2_000


def read_table(path: Path, *, columns: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """The file as text cells (CSV in any encoding a county office uses, or .xlsx; title,
    totals and footer rows dropped) and each record's row number as the sheet shows it."""
    from geo.files import read_table as read_sheet

    sheet = read_sheet(path, known=columns)
    return sheet.text_frame().fillna("").reset_index(drop=True), sheet.rows


def _text_rows(session, texts: list[str]) -> list[dict]:
    from geo.geocode.match import Geocoder
    from geo.geocode.store import load_gazetteer

    geocoder = Geocoder(load_gazetteer(session=session))
    info(
        f"gazetteer: {geocoder.gazetteer.address_count} addresses, "
        f"{len(geocoder.gazetteer.units)} admin units"
    )
    rows = []
    with progress() as bar:
        task = bar.add_task("geocoding", total=len(texts))
        for start in range(0, len(texts), CHUNK):
            for result in geocoder.geocode_many(texts[start : start + CHUNK]):
                rows.append(_text_row(result))
            bar.advance(task, min(CHUNK, len(texts) - start))
    return rows


def _point_rows(
    session, table: pd.DataFrame, numbers: list[int], lon: str, lat: str, crs: str, tol: float
):
    from geo.geocode.gps import PointError, locate_point

    rows = []
    with progress() as bar:
        task = bar.add_task("locating", total=len(table))
        for number, x, y in zip(numbers, table[lon], table[lat], strict=True):
            try:
                hit = locate_point(session=session, lon=x, lat=y, crs=crs, tolerance_m=tol)
            except PointError as exc:
                raise ValueError(
                    f"第 {number} 行 {lon}/{lat} 列 / row {number}, columns {lon}/{lat}: {exc}"
                ) from exc
            rows.append(
                {
                    "address_code": hit.address_code,
                    "grid_code": hit.grid_code,
                    "level": hit.level,
                    "score": 1.0 if hit.level != "none" else 0.0,
                    "lon": hit.lon,
                    "lat": hit.lat,
                    "level_zh": "门牌地址" if hit.level == "address" else "",
                    "status": "" if hit.grid_code else "位置待核实",
                    "standard_address": hit.address_text,
                    "township_name": hit.township_name,
                    "village_name": hit.village_name,
                    "grid_name": hit.grid_name,
                    "reason": "GPS 定位 / GPS fix",
                }
            )
            bar.advance(task)
    return rows


def register(app: typer.Typer) -> None:
    """Add ``geocode`` to ``app``."""

    @app.command()
    def geocode(
        file: Path = typer.Argument(..., help="CSV or Excel file"),
        column: str | None = typer.Option(None, "--column", help="column with address text"),
        out: Path = typer.Option(..., "-o", "--out", help="output CSV"),
        crs: str = typer.Option(
            "wgs84", "--crs", help="CRS of --lon/--lat columns: wgs84 or gcj02"
        ),
        lon: str = typer.Option("lon", "--lon", help="longitude column (GPS mode)"),
        lat: str = typer.Option("lat", "--lat", help="latitude column (GPS mode)"),
        tolerance: float = typer.Option(
            100.0, "--tolerance", help="metres to the nearest standard address (GPS mode)"
        ),
    ) -> None:
        """Geocode a file: address text in --column, or GPS fixes in --lon/--lat.

        OUT has the input columns first, then address_code, grid_code, level, score, lon, lat
        (level: address, address_near, group, village, township, county or none), then for
        people: level_zh, status (位置待核实 when no grid is certain), standard_address,
        township_name, village_name, grid_name, reason, conflicts and candidates (code, name
        and score of each, up to five). In GPS mode lon/lat are
        the WGS84 point and input lon/lat columns are kept as input_lon/input_lat. Nothing
        is written when any row is refused.
        """
        from sqlalchemy.orm import Session

        from core.errors import WanggeError

        try:
            table, numbers = read_table(file, columns=[column] if column else [lon, lat])
        except (OSError, ValueError, WanggeError) as exc:
            raise fail(str(exc)) from exc
        gps_columns = (lon, lat) if column is None else ()
        clash = [c for c in OUTPUT_COLUMNS if c in table.columns and c not in gps_columns]
        if column is None and not {lon, lat} <= set(table.columns):
            raise fail(
                f"{file}: give --column with the address text, or a file with columns "
                f"{lon!r} and {lat!r} (columns found: {', '.join(table.columns)})"
            )
        if column is not None and column not in table.columns:
            raise fail(f"{file}: no column {column!r} (columns: {', '.join(table.columns)})")
        if clash:
            raise fail(f"{file}: the input already has output column(s) {', '.join(clash)}")
        engine = engine_in_use()
        try:
            with Session(engine) as session:
                if column is not None:
                    rows = _text_rows(session, table[column].tolist())
                else:
                    rows = _point_rows(session, table, numbers, lon, lat, crs, tolerance)
        except ValueError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        result = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
        if column is None:  # the input point keeps its values under another name
            table = table.rename(
                columns={c: f"input_{c}" for c in (lon, lat) if c in OUTPUT_COLUMNS}
            )
        merged = pd.concat([table.reset_index(drop=True), result], axis=1)
        out.parent.mkdir(parents=True, exist_ok=True)
        merged.to_csv(out, index=False, encoding="utf-8")
        levels = result["level"].value_counts().to_dict()
        info(
            f"wrote {len(merged)} rows to {out}: "
            + ", ".join(f"{k} {v}" for k, v in levels.items())
        )


def register_aliases(load_app: typer.Typer) -> None:
    """Add ``aliases`` to the ``load`` group: the geocoder's alias table from a CSV/xlsx."""

    @load_app.command("aliases")
    def aliases(
        file: Path = typer.Argument(
            ..., help="CSV or Excel: 别名/alias, 目标代码/code[, 经度, 纬度]"
        ),
        county: str | None = typer.Option(None, "--county", help="county code (if several)"),
    ) -> None:
        """Other names of villages, townships and addresses, and landmarks (县医院 …).

        Columns: alias (别名), code (目标代码: admin unit or standard address), optional
        lon/lat (经度/纬度: the landmark's own point), kind (alias or landmark), note (备注).
        A spelling already in the table is replaced; a file with a bad row is refused whole.
        """
        from core.errors import ImportRejected, WanggeError
        from geo.database.engine import transaction
        from geo.geocode.aliases import load_aliases
        from geo.places.counties import which_county

        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                code = which_county(session=session, requested=county)
                count = load_aliases(file, session=session, county=code)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                info(f"  {problem}")
            raise fail(
                f"{file}: {len(rejected.problems)} 处问题，未写入 / "
                f"{len(rejected.problems)} problem(s), nothing was written"
            ) from None
        except (OSError, ValueError, WanggeError) as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        typer.echo(f"别名表 / alias table: {count} rows from {file.name}")
