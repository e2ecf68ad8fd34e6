"""Facilities of the demo county: governance centres and the partners of the closed loop.

A centre per county, township and village; a police station for every one or two townships
(the larger ones, each serving its nearest neighbours); a judicial office, a court station
(审务工作站) and a mediation committee per township; a judge contact point (法官联系点) and a
mediation committee per village; a few legal advisers in the larger townships. Each sits a
short walk from its township seat or village centre.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from demo.inputs import Divisions, _bare_name
from demo.settlement import Layout

TOWNSHIPS_PER_POLICE_STATION = 1.6
TOWNSHIPS_PER_LEGAL_ADVISER = 4


def _near(centre: np.ndarray, geom, sd: float, rng: np.random.Generator) -> np.ndarray:
    for _ in range(20):
        p = centre + rng.normal(0, sd, 2)
        if shapely.contains_xy(geom, p[0], p[1]):
            return p
    return np.asarray(centre, dtype=float)


def build_facilities(
    divisions: Divisions,
    layout: Layout,
    township_households: np.ndarray,
    county_code: str,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per facility: code, kind, name, admin_code, jurisdiction_codes, x, y (local)."""
    county = str(divisions.county["name"])
    towns = divisions.townships
    rows: list[dict] = []

    def add(kind: str, name: str, admin: str, xy, jurisdiction=None) -> None:
        rows.append(
            {
                "code": f"{admin}-{kind}",
                "county_code": county_code,
                "kind": kind,
                "name": name,
                "admin_code": admin,
                "jurisdiction_codes": jurisdiction,
                "x": float(xy[0]),
                "y": float(xy[1]),
            }
        )

    seat = layout.township_seats[layout.seat_index]
    add("county_centre", f"{county}综治中心", county_code,
        _near(seat, layout.township_geoms[layout.seat_index], 80, rng))  # fmt: skip

    n_t = len(towns)
    n_police = max(1, math.ceil(n_t / TOWNSHIPS_PER_POLICE_STATION))
    by_size = [layout.seat_index] + [
        int(t) for t in np.argsort(-township_households, kind="stable") if t != layout.seat_index
    ]
    police = sorted(by_size[:n_police])
    seats = layout.township_seats
    served = {
        p: [
            towns["code"].iloc[t]
            for t in range(n_t)
            if p == min(police, key=lambda q, t=t: float(np.hypot(*(seats[q] - seats[t]))))
        ]
        for p in police
    }
    advisers = set(by_size[: max(1, round(n_t / TOWNSHIPS_PER_LEGAL_ADVISER))])
    for t, town in enumerate(towns.itertuples(index=False)):
        geom, name, bare = layout.township_geoms[t], town.short_name, _bare_name(town.short_name)
        add("township_centre", f"{name}综治中心", town.code, _near(seats[t], geom, 60, rng))
        add("judicial_office", f"{county}司法局{bare}司法所", town.code,
            _near(seats[t], geom, 150, rng))  # fmt: skip
        add("court_station", f"{county}人民法院{name}审务工作站", town.code,
            _near(seats[t], geom, 150, rng))  # fmt: skip
        add("mediation_committee", f"{name}人民调解委员会", town.code,
            _near(seats[t], geom, 100, rng))  # fmt: skip
        if t in police:
            add("police_station", f"{county}公安局{bare}派出所", town.code,
                _near(seats[t], geom, 200, rng), served[t])  # fmt: skip
        if t in advisers:
            add("legal_adviser", f"{name}法律顾问工作室", town.code,
                _near(seats[t], geom, 200, rng))  # fmt: skip

    tnames = dict(zip(towns["code"], towns["short_name"], strict=True))
    for v, village in enumerate(divisions.villages.itertuples(index=False)):
        geom, centre = layout.village_geoms[v], layout.village_centres[v]
        full = f"{tnames[village.parent_code]}{village.short_name}"
        add("village_centre", f"{full}综治中心", village.code, _near(centre, geom, 30, rng))
        add("judge_contact_point", f"{county}人民法院{full}法官联系点", village.code,
            _near(centre, geom, 40, rng))  # fmt: skip
        add("mediation_committee", f"{full}人民调解委员会", village.code,
            _near(centre, geom, 40, rng))  # fmt: skip
    return pd.DataFrame(rows)
