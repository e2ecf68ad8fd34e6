"""Command-room layers of the centre's people: coverage of the grids by the "8+" forces, the
safety-creation titles, and the panel of who is on duty at the centres.

Pure like the rest of :mod:`maps`: GeoDataFrames in, payloads and layers out. Each ``add_*``
takes ``m`` (a new map when None) and returns it, so the layers compose.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from core import vocab
from maps.assets import STATIC_DIR
from maps.base import DataLayer, Dataset, MapScript, to_js
from maps.command_room import map_for
from maps.display import DEFAULT_TOLERANCE_DEG
from maps.features import clean, col, empty_payload, feature_collection, is_synthetic, records

COVERAGE_PALETTE = ["#22c55e", "#ef4444"]  # covered, missing a required role
SAFETY_PALETTE = ["#16a34a", "#f97316"]  # all titles, some title missed
MISSING_LABELS = {
    "grid_leader": "缺网格长 no grid leader",
    "household_leader": "联防组缺十户长 group without leader",
    "household_groups": "未编联防组 no groups",
}
# Popups and the on-duty panel, added to the page runtime (inlined: pages work offline).
FORCES_JS_FILE = STATIC_DIR / "wangge" / "forces.js"


def coverage_payload(
    coverage: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Grids coloured by whether they have every required role.

    Columns: ``code``, ``name`` (required), ``leader``, ``households``, ``people``,
    ``households_per_person``, ``household_groups``, ``forces`` (role → count), ``missing``
    (list of :data:`MISSING_LABELS` keys), ``synthetic``.
    """
    title = "力量覆盖 forces coverage"
    if coverage is None or coverage.empty:
        return empty_payload("coverage", title=title)
    frame = coverage.reset_index(drop=True)
    missing = [list(m) if isinstance(m, list | tuple) else [] for m in col(frame, "missing")]
    flagged = sum(bool(m) for m in missing)

    def properties(f: pd.DataFrame) -> list[dict]:
        rows = records(
            f,
            {
                "code": "code",
                "name": "name",
                "leader": "leader",
                "households": "households",
                "people": "people",
                "households_per_person": "households_per_person",
                "household_groups": "household_groups",
            },
        )
        for row, i in zip(rows, f.index, strict=True):
            forces = col(f, "forces").iloc[i]
            forces = forces if isinstance(forces, dict) else {}
            row["forces"] = [
                f"{vocab.STAFF_ROLES.get(role, role)} {clean(n)}" for role, n in forces.items() if n
            ]
            row["missing"] = [MISSING_LABELS.get(m, m) for m in missing[i]]
            row["cls"] = 1 if missing[i] else 0
        return rows

    notices = []
    if flagged:
        notices.append(f"{title}: {flagged} 个网格缺少必备力量 / grids missing a required role")
    return feature_collection(
        frame,
        properties,
        {
            "layer": "coverage",
            "legend_title": title,
            "legend": [
                {"colour": COVERAGE_PALETTE[0], "label": "配齐 all required roles"},
                {"colour": COVERAGE_PALETTE[1], "label": f"缺少 missing a role ({flagged})"},
            ],
            "palette": COVERAGE_PALETTE,
            "synthetic": is_synthetic(coverage),
            "notices": notices,
            "flagged": flagged,
        },
        tolerance=tolerance,
        coverage=True,
        gcj02=gcj02,
    )


def safety_payload(
    units: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Townships and villages coloured by whether they earn every safety title of the year.

    Columns: ``code``, ``name``, ``level`` (township | village; required), ``qualifies``,
    ``awarded``, ``missed`` (text), ``evidence`` (count), ``year``, ``provisional``,
    ``synthetic``.
    """
    title = "平安创建 safety titles"
    if units is None or units.empty:
        return empty_payload("safety", title=title)
    frame = units.reset_index(drop=True)

    def properties(f: pd.DataFrame) -> list[dict]:
        rows = records(
            f,
            {
                "code": "code",
                "name": "name",
                "level": "level",
                "awarded": "awarded",
                "missed": "missed",
                "evidence": "evidence",
                "year": "year",
                "provisional": "provisional",
            },
        )
        for row, ok in zip(rows, col(f, "qualifies"), strict=True):
            row["cls"] = 0 if bool(ok) else 1
        return rows

    year = clean(col(frame, "year").iloc[0])
    return feature_collection(
        frame,
        properties,
        {
            "layer": "safety",
            "legend_title": f"{title} {year}",
            "legend": [
                {"colour": SAFETY_PALETTE[0], "label": "达标 all titles"},
                {"colour": SAFETY_PALETTE[1], "label": "未达标 a title missed"},
            ],
            "palette": SAFETY_PALETTE,
            "synthetic": is_synthetic(units),
        },
        tolerance=tolerance,
        coverage=False,
        gcj02=gcj02,
    )


def on_duty_payload(centres: gpd.GeoDataFrame | None, *, gcj02: bool = False) -> dict:
    """Centres with who is on duty now. Columns: ``code``, ``name``, ``kind``, ``people``
    (list of ``{"post", "name"}``), ``handover`` (the latest note), ``synthetic``."""
    title = "值班备勤 on duty"
    if centres is None or centres.empty:
        return empty_payload("on_duty", title=title, notice="暂无排班 / no shifts now")
    frame = centres.reset_index(drop=True)

    def properties(f: pd.DataFrame) -> list[dict]:
        rows = records(f, {"code": "code", "name": "name", "kind": "kind",
                           "handover": "handover"})  # fmt: skip
        for row, people in zip(rows, col(f, "people"), strict=True):
            row["people"] = [
                {"post": clean(p.get("post")), "name": clean(p.get("name"))}
                for p in (people if isinstance(people, list) else [])
            ]
        return rows

    return feature_collection(
        frame,
        properties,
        {
            "layer": "on_duty",
            "legend_title": title,
            "legend": [],
            "synthetic": is_synthetic(centres),
        },
        tolerance=0,
        coverage=False,
        gcj02=gcj02,
    )


def _forces_map(m: folium.Map | None, frame: gpd.GeoDataFrame | None) -> folium.Map:
    """``m`` (a new map fitted to ``frame`` when None) with the forces runtime added once."""
    m = map_for(m, frame)
    if not getattr(m, "_wangge_forces_js", False):
        m.add_child(MapScript(FORCES_JS_FILE.read_text(encoding="utf-8")))
        m._wangge_forces_js = True
    return m


def add_coverage(
    coverage: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
    show: bool = False,
) -> folium.Map:
    """Grids green when every required role is there, red when one is missing."""
    m = _forces_map(m, coverage)
    m.add_child(Dataset("coverage", payload or coverage_payload(coverage, gcj02=gcj02), url))
    options = {"role": "coverage", "popup": "coverage", "fillOpacity": 0.45}
    m.add_child(DataLayer("polygons", "coverage", name="力量覆盖 forces coverage",
                          options=options, show=show))  # fmt: skip
    return m


def add_safety(
    units: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
    show: bool = False,
) -> folium.Map:
    """Villages filled and townships outlined by their safety titles of the year."""
    m = _forces_map(m, units)
    m.add_child(Dataset("safety", payload or safety_payload(units, gcj02=gcj02), url))
    villages = {"role": "safety_villages", "popup": "safety", "fillOpacity": 0.45,
                "filter": {"level": "village"}}  # fmt: skip
    towns = {"role": "safety_townships", "popup": "safety", "mode": "outline", "weight": 3,
             "filter": {"level": "township"}}  # fmt: skip
    m.add_child(DataLayer("polygons", "safety", name="平安村/社区 safe villages",
                          options=villages, show=show))  # fmt: skip
    m.add_child(DataLayer("polygons", "safety", name="无诉讼·零命案乡镇 township titles",
                          options=towns, show=show))  # fmt: skip
    return m


def add_on_duty_panel(
    centres: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
    position: str = "bottomleft",
) -> folium.Map:
    """A panel listing who is on duty at each centre (refreshed with the page)."""
    m = _forces_map(m, centres)
    m.add_child(Dataset("on_duty", payload or on_duty_payload(centres, gcj02=gcj02), url))
    m.add_child(MapScript(f"wangge.addOnDutyPanel({{map}}, 'on_duty', {to_js(position)});"))
    return m
