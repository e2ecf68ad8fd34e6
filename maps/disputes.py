"""The open-cases layer: one point per case coloured by status, overdue ones marked, and the
cases counted per grid so that at low zoom the map draws one bubble per grid (at a point
inside the grid) instead of hundreds of points.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core import cases, vocab
from maps.display import display_geometries, to_wgs84
from maps.features import (
    clean,
    col,
    empty_payload,
    feature_collection,
    is_synthetic,
    local_text,
    location_note,
    records,
)
from maps.styles import (
    STATUS_COLOURS,
    UNVERIFIED_COLOUR,
    UNVERIFIED_GLYPH,
    UNVERIFIED_LABEL,
    status_label,
)

# Below this zoom the open cases are drawn as one bubble per grid, from it on as points; a
# handful of cases (fewer than the minimum) stays points at every zoom, being no clutter.
GRID_BUBBLE_ZOOM = 14
GRID_BUBBLE_MIN_CASES = 20


def grid_bubbles(
    frame: gpd.GeoDataFrame, overdue: np.ndarray, *, gcj02: bool = False
) -> list[dict]:
    """One entry per grid holding open cases: ``grid``, ``name``, ``n`` cases, ``overdue``
    and ``at`` ([lon, lat] of a point inside the grid, ``grid_lon``/``grid_lat`` of the
    frame; without them the mean of its cases' points). Cases without a grid are left out."""
    codes = col(frame, "grid_code")
    known = codes.notna().to_numpy()
    if not known.any():
        return []
    points = to_wgs84(frame).geometry.values
    parts = pd.DataFrame(
        {
            "grid": codes[known].astype(str).to_numpy(),
            "name": col(frame, "grid_name")[known].to_numpy(),
            "lon": pd.to_numeric(col(frame, "grid_lon"), errors="coerce")[known].to_numpy(),
            "lat": pd.to_numeric(col(frame, "grid_lat"), errors="coerce")[known].to_numpy(),
            "case_lon": shapely.get_x(points[known]),
            "case_lat": shapely.get_y(points[known]),
            "overdue": overdue[known],
        }
    )
    grouped = parts.groupby("grid", sort=True).agg(
        name=("name", "first"),
        n=("grid", "size"),
        overdue=("overdue", "sum"),
        lon=("lon", "first"),
        lat=("lat", "first"),
        case_lon=("case_lon", "mean"),
        case_lat=("case_lat", "mean"),
    )
    located = grouped["lon"].notna() & grouped["lat"].notna()
    lon = np.where(located, grouped["lon"], grouped["case_lon"])
    lat = np.where(located, grouped["lat"], grouped["case_lat"])
    at = display_geometries(shapely.points(lon, lat), coverage=False, gcj02=gcj02)
    return [
        {
            "grid": grid,
            "name": clean(row["name"]) or grid,
            "n": int(row["n"]),
            "overdue": int(row["overdue"]),
            "at": [round(shapely.get_x(point), 5), round(shapely.get_y(point), 5)],
        }
        for (grid, row), point in zip(grouped.iterrows(), at, strict=True)
    ]


def disputes_payload(
    disputes: gpd.GeoDataFrame | None,
    *,
    now: dt.datetime,
    open_only: bool = True,
    gcj02: bool = False,
) -> dict:
    """Open disputes as points coloured by status, overdue ones marked.

    Columns: ``status`` (required), ``external_id`` or ``id`` (shown as the case number),
    ``category``, ``severity``, ``reported_at``, ``deadline``, ``location_text``,
    ``grid_code``, ``grid_name``, ``grid_lon`` and ``grid_lat`` (a point inside the grid),
    ``leader`` (the grid leader), ``assignee``, ``dispatch`` (the dispatch recommendation as
    text), ``synthetic``, ``location_check`` and ``location_unit_name`` (a case without a
    certain grid or with conflicting evidence is marked 位置待核实 with its flags in words).
    Overdue: open and past the deadline at ``now``
    (:func:`core.cases.is_open_past_deadline`). The meta's ``grid_bubbles`` count the cases
    per grid (:func:`grid_bubbles`), drawn below zoom ``bubble_zoom`` when the layer holds at
    least ``bubble_min_cases`` cases.
    """
    title = "在办纠纷 open disputes"
    if disputes is None or disputes.empty:
        return empty_payload("disputes", title=title)
    frame = disputes
    if open_only:
        frame = frame[frame["status"].isin(cases.OPEN_STATUSES)]
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    notices = []
    if len(located) < len(frame):
        notices.append(f"{title}: {len(frame) - len(located)} 件未定位 / not located")
    if located.empty:
        payload = empty_payload("disputes", title=title, synthetic=is_synthetic(disputes))
        payload["wangge"]["notices"] = [f"{title}: 暂无在办案件 / no open cases", *notices]
        return payload
    located = located.reset_index(drop=True)
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts
    deadlines = pd.to_datetime(col(located, "deadline"), utc=True, errors="coerce")
    late = pd.Series(
        [
            cases.is_open_past_deadline(status, None if pd.isna(due) else due, now_ts)
            for status, due in zip(located["status"], deadlines, strict=True)
        ],
        dtype=bool,
    ).to_numpy()
    days_late = ((now_ts - deadlines).dt.total_seconds() / 86400).apply(
        lambda d: math.ceil(d) if pd.notna(d) and d > 0 else None
    )
    statuses = list(STATUS_COLOURS)
    case_ids = col(located, "external_id")
    if case_ids.isna().all():
        case_ids = col(located, "id")

    # frames without the location columns (older callers) mark no case 位置待核实
    knows_location = "location_check" in located.columns
    notes = [
        location_note(check, has_grid=clean(grid) is not None or not knows_location, unit_name=unit)
        for check, grid, unit in zip(
            col(located, "location_check"),
            col(located, "grid_code"),
            col(located, "location_unit_name"),
            strict=True,
        )
    ]

    def properties(frame: pd.DataFrame) -> list[dict]:
        rows = records(
            frame,
            {
                "grid": "grid_code",
                "grid_name": "grid_name",
                "leader": "leader",
                "assignee": "assignee",
                "dispatch": "dispatch",
                "location": "location_text",
            },
        )
        for row, i in zip(rows, frame.index, strict=True):
            status = frame.at[i, "status"]
            row["case"] = clean(case_ids.iloc[i])
            row["status"] = status
            row["status_label"] = status_label(status)
            row["cls"] = statuses.index(status) if status in statuses else None
            category = clean(col(frame, "category").iloc[i])
            severity = clean(col(frame, "severity").iloc[i])
            row["category"] = vocab.DISPUTE_CATEGORIES.get(category, "其他")
            row["severity"] = vocab.DISPUTE_SEVERITIES.get(severity) if severity else None
            row["reported"] = local_text(col(frame, "reported_at").iloc[i], "%Y-%m-%d %H:%M")
            row["deadline"] = local_text(col(frame, "deadline").iloc[i], "%Y-%m-%d %H:%M")
            row["overdue"] = bool(late[i])
            row["days_overdue"] = days_late.iloc[i] if late[i] else None
            row.update(notes[i])
            row["unverified"] = row["location_status"] is not None
            row["glyph"] = "!" if late[i] else UNVERIFIED_GLYPH if row["unverified"] else ""
            row["title"] = f"{row['case']} {row['status_label']}"
            if row["unverified"]:
                row["title"] += f" · {UNVERIFIED_LABEL}"
        return rows

    legend = [
        {"colour": STATUS_COLOURS[s], "label": status_label(s), "shape": "dot"} for s in statuses
    ]
    legend.append(
        {"colour": "#f43f5e", "label": f"逾期 overdue ({int(late.sum())})", "shape": "line"}
    )
    unverified = sum(note["location_status"] is not None for note in notes)
    if unverified:
        legend.append(
            {
                "colour": UNVERIFIED_COLOUR,
                "label": f"{UNVERIFIED_LABEL} ({unverified})",
                "shape": "line",
            }
        )
    return feature_collection(
        located,
        properties,
        {
            "layer": "disputes",
            "legend_title": f"{title} ({len(located)})",
            "legend": legend,
            "palette": [STATUS_COLOURS[s] for s in statuses],
            "synthetic": is_synthetic(disputes),
            "notices": notices,
            "overdue": int(late.sum()),
            "grid_bubbles": grid_bubbles(located, late, gcj02=gcj02),
            "bubble_zoom": GRID_BUBBLE_ZOOM,
            "bubble_min_cases": GRID_BUBBLE_MIN_CASES,
        },
        tolerance=0,
        coverage=False,
        gcj02=gcj02,
    )
