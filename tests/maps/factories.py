"""Small hand-made GeoDataFrames for map tests: a 2-township, 4-village, 16-grid county."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, box
from shapely.ops import unary_union

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
X0, Y0, STEP = 103.30, 34.90, 0.05  # grids are STEP x STEP degrees, 4 x 4 of them


def _mp(geom) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def grids(*, with_risk: bool = True, synthetic: bool = True) -> gpd.GeoDataFrame:
    """16 square grids; village = 2x2 block, township = left/right half."""
    rows = []
    for i in range(4):
        for j in range(4):
            village = (i // 2) * 2 + (j // 2)
            code = f"6230211010{village + 1:02d}{i * 4 + j + 1:02d}"
            rows.append(
                {
                    "code": code,
                    "name": f"第{i * 4 + j + 1}网格",
                    "village_code": f"6230211010{village + 1:02d}",
                    "village": f"村{village + 1}",
                    "households": 80 + i * 4 + j,
                    "population": 300 + 10 * j,
                    "leader": f"网格长{i * 4 + j + 1}",
                    "open_cases": (i + j) % 3,
                    "risk": (i * 4 + j) / 15 if with_risk else None,
                    "risk_rank": 16 - (i * 4 + j),
                    "factors": [
                        {"label": "近期纠纷 recent disputes", "contribution": 0.4},
                        "信访 petitions",
                    ],
                    "synthetic": synthetic,
                    "geometry": _mp(
                        box(X0 + j * STEP, Y0 + i * STEP, X0 + (j + 1) * STEP, Y0 + (i + 1) * STEP)
                    ),
                }
            )
    return gpd.GeoDataFrame(rows, crs=4326)


def admin_units(*, synthetic: bool = True) -> gpd.GeoDataFrame:
    g = grids()
    rows = []
    for vcode, part in g.groupby("village_code"):
        rows.append(
            {
                "code": vcode,
                "level": "village",
                "name": part["village"].iloc[0],
                "geometry": _mp(unary_union(part.geometry)),
            }
        )
    left = unary_union([box(X0, Y0, X0 + 2 * STEP, Y0 + 4 * STEP)])
    right = unary_union([box(X0 + 2 * STEP, Y0, X0 + 4 * STEP, Y0 + 4 * STEP)])
    rows.append({"code": "623021101", "level": "township", "name": "城关镇", "geometry": _mp(left)})
    rows.append(
        {"code": "623021102", "level": "township", "name": "新城镇", "geometry": _mp(right)}
    )
    rows.append(
        {
            "code": "623021",
            "level": "county",
            "name": "临潭县",
            "geometry": _mp(unary_union([left, right])),
        }
    )
    frame = gpd.GeoDataFrame(rows, crs=4326)
    frame["synthetic_geom"] = synthetic
    return frame


def disputes(*, synthetic: bool = True) -> gpd.GeoDataFrame:
    """Three open disputes far apart (one overdue), one resolved, one without a point."""
    rows = [
        (
            "D-001",
            "received",
            "neighbour",
            NOW - dt.timedelta(days=1),
            NOW + dt.timedelta(days=5),
            Point(X0 + 0.02, Y0 + 0.02),
        ),
        (
            "D-002",
            "in_progress",
            "land_forest",
            NOW - dt.timedelta(days=20),
            NOW - dt.timedelta(days=3),
            Point(X0 + 0.18, Y0 + 0.18),
        ),
        (
            "D-003",
            "routed",
            "debt",
            NOW - dt.timedelta(days=2),
            NOW + dt.timedelta(days=10),
            Point(X0 + 0.18, Y0 + 0.02),
        ),
        (
            "D-004",
            "resolved",
            "debt",
            NOW - dt.timedelta(days=30),
            NOW - dt.timedelta(days=10),
            Point(X0 + 0.02, Y0 + 0.18),
        ),
        ("D-005", "received", "other", NOW - dt.timedelta(days=1), None, None),
    ]
    frame = gpd.GeoDataFrame(
        [
            {
                "external_id": e,
                "status": s,
                "category": c,
                "severity": "minor",
                "reported_at": r,
                "deadline": d,
                "location_text": "城关镇某村",
                "grid_code": "623021101001" + "01",
                "grid_name": "第1网格",
                "leader": "网格长1",
                "dispatch": "转司法所 judicial office (2.1 km)",
                "synthetic": synthetic,
                "geometry": p,
            }
            for e, s, c, r, d, p in rows
        ],
        crs=4326,
    )
    frame["deadline"] = pd.to_datetime(frame["deadline"], utc=True)
    return frame


def facilities() -> gpd.GeoDataFrame:
    rows = [
        ("F1", "county_centre", "临潭县综治中心", Point(X0 + 0.1, Y0 + 0.1)),
        ("F2", "police_station", "城关派出所", Point(X0 + 0.05, Y0 + 0.12)),
        ("F3", "judicial_office", "城关司法所", Point(X0 + 0.15, Y0 + 0.08)),
    ]
    return gpd.GeoDataFrame(
        [
            {"code": c, "kind": k, "name": n, "synthetic": True, "geometry": p}
            for c, k, n, p in rows
        ],
        crs=4326,
    )


def hotspots() -> gpd.GeoDataFrame:
    g = grids()
    flagged = g.iloc[[15, 14, 11]].copy()
    flagged["hotspot_class"] = ["persistent", "new", "intensifying"]
    flagged["score"] = [0.9, 0.8, 0.7]
    flagged["z"] = [3.1, 2.2, 2.0]
    flagged["explanation"] = "近四周纠纷 12 起 / 12 disputes in four weeks"
    flagged["status"] = ["pending", "confirmed", "pending"]
    flagged["period_start"] = pd.Timestamp("2026-11-16")
    return flagged[
        [
            "code",
            "name",
            "hotspot_class",
            "score",
            "z",
            "explanation",
            "status",
            "period_start",
            "synthetic",
            "geometry",
        ]
    ]


PERIODS = ["2026-11-02", "2026-11-09", "2026-11-16"]


def review_scores() -> pd.DataFrame:
    """Model score and Gi* z for every grid and three weeks; two or three grids flagged a week."""
    g = grids()
    rows = []
    for k, period in enumerate(PERIODS):
        for n, code in enumerate(g["code"]):
            flagged = n in ({15, 14} if k < 2 else {15, 14, 11})
            rows.append(
                {
                    "grid_code": code,
                    "period_start": pd.Timestamp(period),
                    "model_score": (n + k) / 18,
                    "gi_z": -3.0 + 6.0 * n / 15,
                    "gi_p": 0.01 if abs(-3.0 + 6.0 * n / 15) > 2.58 else 0.2,
                    "flagged": flagged,
                    "hotspot_class": "new"
                    if (flagged and n == 11)
                    else ("persistent" if flagged else None),
                    "explanation": f"近四周纠纷 {n} 起 / {n} disputes in four weeks"
                    if flagged
                    else None,
                    "review_status": "confirmed" if (flagged and n == 14) else "pending",
                    "synthetic": True,
                }
            )
    return pd.DataFrame(rows)


def proposed_grids() -> gpd.GeoDataFrame:
    """The current grids with the first two merged into a new grid."""
    g = grids()
    merged = g.iloc[[0, 1]]
    new = {
        "code": "62302110100117",
        "name": "第17网格",
        "households": int(merged["households"].sum()),
        "population": int(merged["population"].sum()),
        "status": "new",
        "synthetic": True,
        "geometry": _mp(unary_union(merged.geometry)),
    }
    rest = g.iloc[2:][["code", "name", "households", "population", "synthetic", "geometry"]].assign(
        status="kept"
    )
    return gpd.GeoDataFrame(
        pd.concat([rest, gpd.GeoDataFrame([new], crs=4326)], ignore_index=True), crs=4326
    )
