"""Layer payloads: a GeoDataFrame in, a GeoJSON FeatureCollection (a plain dict) out.

The same payload is embedded in a page when it is built and returned by the API when the
page refreshes, so a layer looks the same either way. Each payload carries a ``wangge``
foreign member (RFC 7946 §6.1) with what the page needs besides the features: the palette
behind each feature's ``cls``, the legend, whether the data are synthetic, and notices such
as "no data yet" that the map shows instead of drawing something it does not have.

Input columns are documented on each function; every one except the geometry is optional
unless marked required, and a missing frame (``None``) or an empty one gives an empty layer
with a notice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from core import cases, risk_levels, vocab
from maps.display import DEFAULT_TOLERANCE_DEG
from maps.features import (
    NODATA_COLOUR,
    clean,
    col,
    empty_payload,
    feature_collection,
    is_synthetic,
    local_text,
    records,
)
from maps.styles import (
    CENTRE_KINDS,
    FACILITY_STYLE,
    GRID_FILL_OPACITY,
    HOTSPOT_CLASSES,
    OTHER_HOTSPOT,
    REVIEW_LABELS,
    RISK_PALETTE,
    STATUS_COLOURS,
    UNCLASSED_HOTSPOT,
    status_label,
)

__all__ = [
    "CENTRE_KINDS",
    "FACILITY_STYLE",
    "REVIEW_LABELS",
    "RISK_PALETTE",
    "admin_payload",
    "disputes_payload",
    "facilities_payload",
    "grids_payload",
    "hotspot_class_style",
    "hotspots_payload",
    "risk_legend",
]


def admin_payload(
    admin_units: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """County, township and village boundaries.

    Columns: ``code``, ``level`` (required: county | township | village), ``name``,
    ``synthetic_geom``. Each level is simplified as its own coverage.
    """
    title = "行政区划 boundaries"
    if admin_units is None or admin_units.empty:
        return empty_payload("admin", title=title)
    parts = []
    for level in ("county", "township", "village"):
        subset = admin_units[admin_units["level"] == level]
        if subset.empty:
            continue
        parts.append(
            feature_collection(
                subset,
                lambda f: records(f, {"code": "code", "name": "name", "level": "level"}),
                {},
                tolerance=tolerance,
                coverage=True,
                gcj02=gcj02,
            )["features"]
        )
    notices = []
    if is_synthetic(admin_units):
        notices.append("部分边界为模拟 / some boundaries are synthetic")
    return {
        "type": "FeatureCollection",
        "features": [f for part in parts for f in part],
        "wangge": {
            "layer": "admin",
            "legend_title": title,
            "legend": [
                {"colour": "#f8fafc", "label": "县界 county", "shape": "line"},
                {"colour": "#7dd3fc", "label": "乡镇界 township", "shape": "line"},
                {"colour": "#475569", "label": "村界 village", "shape": "line"},
            ],
            "synthetic": is_synthetic(admin_units),
            "notices": notices,
        },
    }


def _factors_text(value: object, limit: int = 3) -> list[str] | None:
    """Up to ``limit`` factor lines in words (a factor without words is left out)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return [value]
    items = list(value) if isinstance(value, Iterable) else [value]
    out = []
    for item in items[:limit]:
        if isinstance(item, dict):
            name = item.get("text") or item.get("label") or item.get("name")
            if clean(name) is None:
                continue
            out.append(str(name))
        elif clean(item) is not None:
            out.append(str(item))
    return out or None


def risk_legend(levels: list, *, opacity: float = GRID_FILL_OPACITY) -> list[dict]:
    """Legend lines of the four risk levels with how many grids each holds (and unscored)."""
    legend = [
        {
            "colour": level.colour,
            "label": f"{level.label} ({sum(1 for lv in levels if lv is level)})",
            "opacity": opacity,
        }
        for level in risk_levels.LEVELS
    ]
    unscored = sum(1 for lv in levels if lv is None)
    if unscored:
        label = f"暂无评分 not scored ({unscored})"
        legend.append({"colour": NODATA_COLOUR, "label": label, "opacity": opacity})
    return legend


def grids_payload(
    grids: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Grids coloured by risk level (:mod:`core.risk_levels`), with what the grid popup shows.

    Columns: ``code`` and ``name`` (required), ``village``, ``households``, ``population``,
    ``leader``, ``open_cases``, ``risk`` (expected disputes next week), ``risk_rank``,
    ``factors`` (list of texts or of ``{"text"|"label", ...}``), ``synthetic``.
    Without any ``risk`` the grids are drawn grey and the map says there are no scores yet.
    """
    title = "网格风险 grid risk"
    if grids is None or grids.empty:
        return empty_payload("grids", title=title)
    grids = grids.reset_index(drop=True)
    expected = [clean(v) for v in pd.to_numeric(col(grids, "risk"), errors="coerce")]
    levels = risk_levels.levels_of(expected)
    scored = sum(1 for lv in levels if lv is not None)
    notices = []
    if not scored:
        notices.append(f"{title}: 暂无风险评分 / no risk scores yet")
    factors = [_factors_text(v) for v in col(grids, "factors")]
    columns = {
        "code": "code",
        "name": "name",
        "village": "village",
        "households": "households",
        "population": "population",
        "leader": "leader",
        "open_cases": "open_cases",
        "risk": "risk",
        "rank": "risk_rank",
    }

    def properties(frame: pd.DataFrame) -> list[dict]:
        rows = records(frame, columns)
        for row, i in zip(rows, frame.index, strict=True):
            level = levels[i]
            row["cls"] = risk_levels.LEVELS.index(level) if level else None
            row["level"] = level.label if level else None
            row["expected"] = risk_levels.expected_text(expected[i]) if level else None
            row["of"] = scored
            row["factors"] = factors[i]
        return rows

    return feature_collection(
        grids,
        properties,
        {
            "layer": "grids",
            "legend_title": f"{title} · 预计下周纠纷",
            "legend": risk_legend(levels)
            if scored
            else [{"colour": NODATA_COLOUR, "label": "暂无评分 not scored"}],
            "palette": RISK_PALETTE,
            "nodata_colour": NODATA_COLOUR,
            "fill_opacity": GRID_FILL_OPACITY,
            "synthetic": is_synthetic(grids),
            "notices": notices,
        },
        tolerance=tolerance,
        coverage=True,
        gcj02=gcj02,
    )


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
    ``grid_code``, ``grid_name``, ``leader`` (the grid leader), ``assignee``, ``dispatch``
    (the dispatch recommendation as text), ``synthetic``. Overdue: open and past the deadline
    at ``now`` (:func:`core.cases.is_open_past_deadline`).
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
            row["glyph"] = "!" if late[i] else ""
            row["title"] = f"{row['case']} {row['status_label']}"
        return rows

    legend = [
        {"colour": STATUS_COLOURS[s], "label": status_label(s), "shape": "dot"} for s in statuses
    ]
    legend.append(
        {"colour": "#f43f5e", "label": f"逾期 overdue ({int(late.sum())})", "shape": "line"}
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
        },
        tolerance=0,
        coverage=False,
        gcj02=gcj02,
    )


def facilities_payload(facilities: gpd.GeoDataFrame | None, *, gcj02: bool = False) -> dict:
    """Centres, police stations, court stations, judicial offices … coloured by kind.

    Columns: ``kind`` (required, see :data:`core.vocab.FACILITY_KINDS`), ``name``, ``code``,
    ``synthetic``.
    """
    title = "机构 facilities"
    if facilities is None or facilities.empty:
        return empty_payload("facilities", title=title)
    kinds = list(FACILITY_STYLE)
    frame = facilities.reset_index(drop=True)

    def properties(f: pd.DataFrame) -> list[dict]:
        rows = records(f, {"code": "code", "name": "name", "kind": "kind"})
        for row in rows:
            kind = row["kind"]
            row["kind_label"] = vocab.FACILITY_KINDS.get(kind, "其他机构")
            row["centre"] = kind in CENTRE_KINDS
            row["cls"] = kinds.index(kind) if kind in kinds else None
            row["glyph"] = FACILITY_STYLE.get(kind, ("", "·"))[1]
            row["title"] = row["name"]
        return rows

    present = [k for k in kinds if (frame["kind"] == k).any()]
    return feature_collection(
        frame,
        properties,
        {
            "layer": "facilities",
            "legend_title": title,
            "legend": [
                {
                    "colour": FACILITY_STYLE[k][0],
                    "label": f"{FACILITY_STYLE[k][1]} {vocab.FACILITY_KINDS[k]}",
                }
                for k in present
            ],
            "palette": [FACILITY_STYLE[k][0] for k in kinds],
            "synthetic": is_synthetic(facilities),
        },
        tolerance=0,
        coverage=False,
        gcj02=gcj02,
    )


def hotspot_class_style(name: object) -> tuple[str, str, str]:
    """(label, colour, dash) of an emerging hot spot class; unknown names get a generic style
    and a flag without any class (a method that only says "flagged") reads as such."""
    if clean(name) is None or not str(name).strip():
        return UNCLASSED_HOTSPOT
    key = str(name).lower().split()[0]
    key = key.removesuffix("_hot_spot").removesuffix("_hotspot")
    return HOTSPOT_CLASSES.get(key, OTHER_HOTSPOT)


def hotspots_payload(
    hotspots: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Flagged grids of the latest period, outlined by emerging hot spot class.

    One row per flagged grid, geometry = the grid. Columns: ``code`` and ``name`` (of the
    grid), ``hotspot_class``, ``score``, ``z``, ``explanation``, ``status`` (review status),
    ``period_start``, ``synthetic``.
    """
    title = "热点 hotspots"
    if hotspots is None or hotspots.empty:
        return empty_payload("hotspots", title=title)
    frame = hotspots.reset_index(drop=True)
    styles = [hotspot_class_style(c) for c in col(frame, "hotspot_class")]
    labels = list(dict.fromkeys(s for s in styles))

    def properties(f: pd.DataFrame) -> list[dict]:
        rows = records(
            f,
            {
                "code": "code",
                "name": "name",
                "score": "score",
                "z": "z",
                "explanation": "explanation",
            },
        )
        for row, i in zip(rows, f.index, strict=True):
            row["class_label"] = styles[i][0]
            row["cls"] = labels.index(styles[i])
            status = clean(col(f, "status").iloc[i]) or "pending"
            row["status_label"] = REVIEW_LABELS.get(status, status)
            period = clean(col(f, "period_start").iloc[i])
            row["period"] = str(period)[:10] if period is not None else None
        return rows

    return feature_collection(
        frame,
        properties,
        {
            "layer": "hotspots",
            "legend_title": f"{title} ({len(frame)})",
            "legend": [
                {"colour": c, "label": lab, "shape": "line", "dash": dash}
                for lab, c, dash in labels
            ],
            "palette": [c for _, c, _ in labels],
            "dashes": [dash for _, _, dash in labels],
            "synthetic": is_synthetic(hotspots),
        },
        tolerance=tolerance,
        coverage=False,
        gcj02=gcj02,
    )
