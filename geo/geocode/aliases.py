"""The county's alias table (别名表) from a CSV or Excel file: ``wangge load aliases FILE``.

Columns (Chinese or English headers): ``alias``/``别名`` the spelling people write,
``code``/``目标代码`` the admin unit or standard address it names, optional
``lon``/``经度`` and ``lat``/``纬度`` for a landmark's own point, ``kind``/``类型``
(``alias`` or ``landmark``; a row with a point is a landmark) and ``note``/``备注``.
A spelling already in the table is replaced. The whole file is refused when a row is wrong,
naming the row as the sheet shows it and the column.
"""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy.orm import Session

from core.errors import ImportRejected, RowProblem
from geo import files
from geo.database.sqlfiles import sql

HEADERS = {
    "alias": ("alias", "别名", "名称"),
    "code": ("code", "target_code", "目标代码", "代码", "编码"),
    "lon": ("lon", "经度"),
    "lat": ("lat", "纬度"),
    "kind": ("kind", "类型"),
    "note": ("note", "备注"),
}
KIND_WORDS = {"alias": "alias", "别名": "alias", "landmark": "landmark", "地标": "landmark"}


def _number(value: str) -> float | None:
    text = str(value or "").strip()
    if not text:
        return None
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def read_aliases(path: str | Path, *, session: Session) -> list[dict]:
    """Checked rows of an alias file; raises ImportRejected listing every bad row."""
    known = [name for names in HEADERS.values() for name in names]
    sheet = files.read_table(Path(path), known=known)
    frame = sheet.text_frame().fillna("")
    columns = {}
    for field, names in HEADERS.items():
        found = next((c for c in frame.columns if str(c).strip().lower() in names), None)
        if found is not None:
            columns[field] = found
    missing = [f for f in ("alias", "code") if f not in columns]
    if missing:
        problems = [
            RowProblem(None, HEADERS[f][1], f"缺少“{HEADERS[f][1]}”列 / no {f} column")
            for f in missing
        ]
        raise ImportRejected(str(path), problems)
    codes = sorted({str(v).strip() for v in frame[columns["code"]]})
    targets = dict(session.execute(sql("geocode_alias_targets"), {"codes": codes}).all())
    rows, problems = [], []
    for number, (_, record) in zip(sheet.rows, frame.iterrows(), strict=True):
        alias = str(record[columns["alias"]]).strip()
        code = str(record[columns["code"]]).strip()
        where = f"第 {number} 行"
        if not alias:
            problems.append(RowProblem(number, columns["alias"], f"{where}别名为空 / empty alias"))
            continue
        if code not in targets:
            problems.append(
                RowProblem(
                    number,
                    columns["code"],
                    f"{where}目标代码 {code!r} 不是已加载的行政区划或标准地址 / "
                    f"code {code!r} is no admin unit or standard address loaded",
                )
            )
            continue
        try:
            lon = _number(record[columns["lon"]]) if "lon" in columns else None
            lat = _number(record[columns["lat"]]) if "lat" in columns else None
        except ValueError:
            problems.append(
                RowProblem(number, "lon/lat", f"{where}经纬度不是数字 / lon/lat not a number")
            )
            continue
        if (lon is None) != (lat is None):
            problems.append(
                RowProblem(
                    number, "lon/lat", f"{where}经度和纬度要同时填写 / give both lon and lat"
                )
            )
            continue
        word = str(record[columns["kind"]]).strip().lower() if "kind" in columns else ""
        kind = KIND_WORDS.get(word, "landmark" if lon is not None else "alias")
        if kind == "landmark" and targets[code] != "unit":
            problems.append(
                RowProblem(
                    number,
                    columns["code"],
                    f"{where}地标的目标代码须是乡镇或村 / a landmark names a township or village",
                )
            )
            continue
        note = str(record[columns["note"]]).strip() if "note" in columns else ""
        rows.append(dict(alias=alias, target=code, kind=kind, lon=lon, lat=lat, note=note or None))
    if problems:
        raise ImportRejected(str(path), problems)
    return rows


def load_aliases(path: str | Path, *, session: Session, county: str) -> int:
    """Check the file and write its rows into the alias table of ``county``; the row count."""
    rows = read_aliases(path, session=session)
    for row in rows:
        session.execute(sql("geocode_alias_upsert"), {**row, "county": county})
    return len(rows)
