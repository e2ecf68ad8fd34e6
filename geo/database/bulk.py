"""Fast bulk writes: COPY rows (geometries as EWKB) into a table inside the caller's transaction."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import shapely
from psycopg import sql as psql
from sqlalchemy.orm import Session

SRID = 4326
CODED_TABLES = ("grid", "household_group", "address", "facility", "staff")


def ewkb_hex(geoms) -> list[str | None]:
    """Shapely geometries → hex EWKB strings with SRID 4326 (None stays None)."""
    array = np.asarray(geoms, dtype=object)
    out: list[str | None] = [None] * len(array)
    present = np.array([g is not None for g in array], dtype=bool)
    if present.any():
        with_srid = shapely.set_srid(np.asarray(list(array[present]), dtype=object), SRID)
        hexes = shapely.to_wkb(with_srid, hex=True, include_srid=True)
        for index, value in zip(np.flatnonzero(present), hexes, strict=True):
            out[index] = value
    return out


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def copy_rows(
    *, session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """COPY ``rows`` into ``table(columns)`` on the session's connection; return the count."""
    connection = session.connection().connection.driver_connection
    statement = psql.SQL("COPY {} ({}) FROM STDIN").format(
        psql.Identifier(table), psql.SQL(", ").join(psql.Identifier(c) for c in columns)
    )
    written = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_clean(v) for v in row])
            written += 1
    return written


def copy_frame(*, session: Session, table: str, frame: pd.DataFrame, columns: Sequence[str]) -> int:
    """COPY the named columns of ``frame`` (``geom`` taken from its geometry) into ``table``."""
    data = {}
    for column in columns:
        if column == "geom":
            data[column] = ewkb_hex(frame.geometry.values)
        else:
            data[column] = frame[column].tolist()
    rows = zip(*(data[c] for c in columns), strict=True)
    return copy_rows(session=session, table=table, columns=columns, rows=rows)


def code_to_id(
    *, session: Session, table: str, current_only: bool = True, county: str | None = None
) -> dict[str, int]:
    """Map ``code`` → ``id`` for a table with both (current rows only where it has history).

    ``county`` limits the map to one county's rows: loading county after county into a
    province otherwise reads every earlier county again (quadratic in the number of counties).
    """
    if table not in CODED_TABLES:
        raise ValueError(f"{table} has no code column")
    historic = current_only and table in ("grid", "household_group")
    statement = psql.SQL("SELECT code, id FROM {} WHERE true{}{}").format(
        psql.Identifier(table),
        psql.SQL(" AND valid_to IS NULL" if historic else ""),
        psql.SQL(" AND county_code = %(county)s" if county is not None else ""),
    )
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        return dict(cursor.execute(statement, {"county": county}).fetchall())
