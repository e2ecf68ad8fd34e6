"""Writing a checked, located batch of intake records: the staging tables and the parties.

:mod:`geo.disputes.intake` decides what goes in; this module only moves the rows. A batch is
COPied column-wise into its staging table (``intake_dispute`` or ``intake_signal``), from which
one ``INSERT … ON CONFLICT DO NOTHING`` stores it; the parties of the new disputes go to their
restricted table.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from psycopg import sql as psql
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.database.bulk import copy_rows
from geo.database.sqlfiles import sql
from geo.disputes.calendar import deadlines_for

DISPUTE_STAGE = [
    "row_number", "external_id", "source", "county_code", "category", "severity",
    "reported_at", "location_text", "description", "geocode_level", "geocode_score",
    "address_id", "grid_id", "deadline", "synthetic", "lon", "lat", "location_admin_code",
    "location_check",
]  # fmt: skip
SIGNAL_STAGE = [
    "row_number", "external_id", "source", "county_code", "kind", "observed_at", "weight",
    "location_text", "description", "geocode_level", "grid_id", "synthetic", "lon", "lat",
]  # fmt: skip


def _deadlines(session: Session, rows: pd.DataFrame, where: pd.DataFrame) -> pd.Series:
    return deadlines_for(
        session=session, categories=rows["category"], severities=rows["severity"],
        reported_at=rows["reported_at"], counties=where["county_code"],
    )  # fmt: skip


def stage(session: Session, kind: str, rows: pd.DataFrame, where: pd.DataFrame) -> None:
    """Fill the staging table of ``kind`` with the checked ``rows`` placed as ``where`` says."""
    stage = "disputes_intake_stage" if kind == "disputes" else "signals_intake_stage"
    table = "intake_dispute" if kind == "disputes" else "intake_signal"
    session.execute(sql(stage))
    session.execute(text(f"DELETE FROM {table}"))  # fixed name, not user input
    data = {
        "row_number": rows["row"],
        "external_id": rows["external_id"],
        "source": rows["source"],
        "county_code": where["county_code"],
        "location_text": rows["address"],
        "description": rows["description"],
        "geocode_level": where["geocode_level"],
        "grid_id": where["grid_id"],
        "synthetic": rows["synthetic"],
        "lon": where["lon"],
        "lat": where["lat"],
    }
    if kind == "disputes":
        data |= {
            "category": rows["category"],
            "severity": rows["severity"],
            "reported_at": rows["reported_at"],
            "geocode_score": where["geocode_score"],
            "address_id": where["address_id"],
            "deadline": _deadlines(session, rows, where),
            "location_admin_code": where["location_admin_code"],
            "location_check": [
                None if c is None else json.dumps(c, ensure_ascii=False)
                for c in where["location_check"]
            ],
        }
        names = DISPUTE_STAGE
    else:
        data |= {"kind": rows["kind"], "observed_at": rows["observed_at"], "weight": rows["weight"]}
        names = SIGNAL_STAGE
    _copy_columns(session, table, {name: data[name] for name in names})


def _plain(values) -> list:
    """A column as plain Python values with None for missing (COPY adapts those directly)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else v for v in series.dt.to_pydatetime()]
    missing = series.isna().to_numpy()
    plain = np.array(series.astype(object).to_numpy(), dtype=object)
    plain[missing] = None
    if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_float_dtype(series.dtype):
        return [None if v is None else v.item() if hasattr(v, "item") else v for v in plain]
    return plain.tolist()


def _copy_columns(session: Session, table: str, columns: dict[str, object]) -> None:
    """COPY whole columns into a staging table (values converted column-wise, not per cell)."""
    length = max(len(v) for v in columns.values() if hasattr(v, "__len__"))
    lists = [
        _plain(v) if hasattr(v, "__len__") and not isinstance(v, str) else [v] * length
        for v in columns.values()
    ]
    connection = session.connection().connection.driver_connection
    statement = psql.SQL("COPY {} ({}) FROM STDIN").format(
        psql.Identifier(table), psql.SQL(", ").join(psql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in zip(*lists, strict=True):
            copy.write_row(row)


def write_parties(session: Session, rows: pd.DataFrame, ids: dict[str, int]) -> None:
    """Store the parties of the newly stored disputes (``ids``: external id → case id)."""
    records = []
    for external_id, parties in zip(rows["external_id"], rows["parties"], strict=True):
        if external_id not in ids:
            continue
        for party in parties:
            name = str(party.get("name") or "").strip()
            if name:
                records.append(
                    (
                        ids[external_id],
                        party.get("role") or "party",
                        name,
                        party.get("id_number"),
                        party.get("phone"),
                        party.get("address") or party.get("address_text"),
                    )
                )
    if records:
        copy_rows(
            session=session,
            table="dispute_party",
            columns=["dispute_id", "role", "name", "id_number", "phone", "address_text"],
            rows=records,
        )
