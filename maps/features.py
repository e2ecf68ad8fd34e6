"""Building blocks of layer payloads: GeoJSON FeatureCollections with a ``wangge`` member.

A payload is a FeatureCollection (a plain dict) whose ``wangge`` foreign member (RFC 7946
§6.1) holds what a page needs besides the features: the palette behind each feature's
``cls``, the legend, whether the data are synthetic, and notices such as "no data yet"
that the map shows instead of drawing something it does not have.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable

import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely

from maps.display import display_geometries, to_wgs84
from maps.styles import LOCATION_CONFLICT_WORDS, UNVERIFIED_LABEL

NO_DATA = "暂无数据 / no data yet"
NO_RECOMMENDATION = "暂无建议 / no recommendation"
NODATA_COLOUR = "#4b5563"
SHANGHAI = "Asia/Shanghai"


def is_synthetic(frame: pd.DataFrame | None) -> bool:
    """True when a ``synthetic`` or ``synthetic_geom`` column says any row is made up."""
    if frame is None:
        return False
    return any(
        col in frame.columns and bool(frame[col].fillna(False).astype(bool).any())
        for col in ("synthetic", "synthetic_geom")
    )


def clean(value: object) -> object:
    """A JSON-safe scalar: NaN/NaT become None, numpy scalars become Python ones."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is pd.NaT:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return [clean(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def col(frame: pd.DataFrame, name: str, default: object = None) -> pd.Series:
    """The column, or a column of ``default`` when the frame lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def empty_payload(
    layer: str, *, title: str, notice: str = NO_DATA, synthetic: bool = False
) -> dict:
    """A payload with no features and a notice the map shows in its status panel."""
    return {
        "type": "FeatureCollection",
        "features": [],
        "wangge": {
            "layer": layer,
            "legend_title": title,
            "legend": [],
            "palette": [],
            "synthetic": synthetic,
            "notices": [f"{title}: {notice}"],
        },
    }


def feature_collection(
    frame: gpd.GeoDataFrame,
    properties: Callable[[pd.DataFrame], list[dict]],
    meta: dict,
    *,
    tolerance: float,
    coverage: bool,
    gcj02: bool,
) -> dict:
    """Build the FeatureCollection with display geometries and the given properties."""
    frame = to_wgs84(frame)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    geoms = display_geometries(
        frame.geometry.values, tolerance=tolerance, coverage=coverage, gcj02=gcj02
    )
    geojson = shapely.to_geojson(geoms) if len(geoms) else []
    features = [
        {"type": "Feature", "geometry": json.loads(g), "properties": p}
        for g, p in zip(geojson, properties(frame), strict=True)
    ]
    meta = {"synthetic": False, "notices": [], **meta}
    return {"type": "FeatureCollection", "features": features, "wangge": meta}


def records(frame: pd.DataFrame, columns: dict[str, str]) -> list[dict]:
    """Rows as dicts with output names, JSON-safe values, absent columns as None."""
    out_cols = {out: col(frame, src) for out, src in columns.items()}
    return [{out: clean(out_cols[out].iloc[i]) for out in columns} for i in range(len(frame))]


def classify(
    values: pd.Series, *, scheme: str = "Quantiles", k: int = 5
) -> tuple[np.ndarray, list]:
    """Classes (−1 for missing) and upper bounds of ``values`` with a mapclassify scheme."""
    y = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    cls = np.full(len(y), -1, dtype=int)
    ok = ~np.isnan(y)
    if not ok.any():
        return cls, []
    unique = np.unique(y[ok])
    if len(unique) == 1:
        cls[ok] = 0
        return cls, [float(unique[0])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when ties merge classes
        result = mapclassify.classify(y[ok], scheme=scheme, k=min(k, len(unique)))
    cls[ok] = result.yb
    return cls, [float(b) for b in result.bins]


def range_labels(bins: list[float], low: float, digits: int | None = None) -> list[str]:
    """Legend labels "low – b1", "b1 – b2" … for class upper bounds ``bins``.

    ``digits`` fixes the decimals; by default three significant digits, so that small
    scores (probabilities of a case in a week) do not all read "0.00".
    """
    labels, lower = [], low
    for upper in bins:
        if digits is None:
            labels.append(f"{lower:.3g} – {upper:.3g}")
        else:
            labels.append(f"{lower:.{digits}f} – {upper:.{digits}f}")
        lower = upper
    return labels


def local_text(value: object, fmt: str) -> str | None:
    """A timestamp formatted in China time (naive values are taken as UTC)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(SHANGHAI).strftime(fmt)


def dispatch_text(suggestions: list[dict]) -> str:
    """The head of a dispatch ranking as a popup line: ``1. name (2.1 km)；2. …``."""
    return (
        "；".join(
            f"{s['rank']}. {clean(s.get('name')) or clean(s.get('role')) or '未命名单位'}"
            + (f" ({s['distance_m'] / 1000:.1f} km)" if s.get("distance_m") else "")
            for s in suggestions
        )
        or NO_RECOMMENDATION
    )


def routed_text(routed_to: object) -> str:
    """The popup line of a case already routed to a unit (its name, when recorded)."""
    name = clean(routed_to)
    if name is None or not str(name).strip() or str(name).lower() in ("nan", "none"):
        return "已转办 routed (承办单位未记录 unit not recorded)"
    return f"已转 {name} routed"


_EMPTY_WORDS = {"", "none", "nan", "nat", "null", "undefined"}


def reason_texts(value: object) -> list[str]:
    """Reasons as clean texts, whatever shape they come in: one text, a list of texts, of
    dicts with ``text``/``label``, nested lists; None, NaN, blanks and the words "None" or
    "nan" are left out, repeats kept once."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip().strip("；;。")
        return [] if text.lower() in _EMPTY_WORDS else [text]
    if isinstance(value, dict):
        return reason_texts(value.get("text") or value.get("label") or value.get("reason"))
    if isinstance(value, list | tuple | set | np.ndarray | pd.Series):
        texts = [text for item in value for text in reason_texts(item)]
        return list(dict.fromkeys(texts))
    if clean(value) is None:
        return []
    return reason_texts(str(value))


def location_note(check: object, *, has_grid: bool, unit_name: object = None) -> dict:
    """What a case popup says about an uncertain place: ``location_status`` (位置待核实 when
    there is no grid or the evidence conflicts, else None), ``location_flags`` (each conflict
    in words: its kind, then its message) and ``location_unit`` (the village or township
    the case was routed to)."""
    check = check if isinstance(check, dict) else {}
    flags = []
    for conflict in check.get("conflicts") or []:
        if not isinstance(conflict, dict):
            continue
        words = LOCATION_CONFLICT_WORDS.get(conflict.get("kind"), "位置冲突 location conflict")
        message = clean(conflict.get("message"))
        flags.append(f"{words}：{message}" if message else words)
    unverified = not has_grid or bool(check)
    return {
        "location_status": UNVERIFIED_LABEL if unverified else None,
        "location_flags": flags,
        "location_unit": clean(unit_name) if not has_grid else None,
    }
