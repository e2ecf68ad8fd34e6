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

import math
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from core import risk_levels, vocab
from maps.display import DEFAULT_TOLERANCE_DEG
from maps.disputes import disputes_payload
from maps.features import (
    NODATA_COLOUR,
    clean,
    col,
    empty_payload,
    feature_collection,
    is_synthetic,
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
    UNCLASSED_HOTSPOT,
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


def _expected_and_chance(expected: float, chance: float | None) -> str:
    """The expected count in words, e.g. "预计下周约0.3起，下周至少一起的概率约26%" (the chance only
    when it was stored)."""
    words = risk_levels.chance_text(chance)
    return risk_levels.expected_text(expected) + (f"，{words}" if words else "")


def grids_payload(
    grids: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Grids coloured by risk level (:mod:`core.risk_levels`), with what the grid popup shows.

    Columns: ``code`` and ``name`` (required), ``village``, ``households``, ``population``,
    ``leader``, ``open_cases``, ``risk`` (expected disputes next week), ``risk_probability``
    (the calibrated chance of at least one, said after the expectation), ``risk_rank``,
    ``factors`` (list of texts or of ``{"text"|"label", ...}``), ``synthetic``.
    Without any ``risk`` the grids are drawn grey and the map says there are no scores yet.
    """
    title = "网格风险 grid risk"
    if grids is None or grids.empty:
        return empty_payload("grids", title=title)
    grids = grids.reset_index(drop=True)
    expected = [clean(v) for v in pd.to_numeric(col(grids, "risk"), errors="coerce")]
    levels = risk_levels.levels_of(expected)
    chances = [clean(v) for v in pd.to_numeric(col(grids, "risk_probability"), errors="coerce")]
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
            row["expected"] = _expected_and_chance(expected[i], chances[i]) if level else None
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
