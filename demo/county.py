"""The demo county: one call builds every frame that ``wangge demo`` loads into PostGIS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from demo.events import build_events
from demo.facilities import build_facilities
from demo.geometry import LocalFrame, as_multipolygon
from demo.inputs import load_default_boundary, load_default_divisions, prepare_divisions
from demo.places import build_places
from demo.profile import targets_for
from demo.settlement import build_layout
from demo.staff import build_staff

CRS = "EPSG:4326"
STREAMS = ("layout", "places", "facilities", "staff", "events")


@dataclass
class DemoCounty:
    """Every table of a synthetic county, ready for the loaders (all geometry in EPSG:4326)."""

    county_code: str
    admin_units: gpd.GeoDataFrame
    grids: gpd.GeoDataFrame
    household_groups: gpd.GeoDataFrame
    addresses: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    staff: pd.DataFrame
    disputes: pd.DataFrame
    signals: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """Table name → frame, in an order that respects foreign keys."""
        return {
            "admin_units": self.admin_units,
            "staff": self.staff,
            "grids": self.grids,
            "household_groups": self.household_groups,
            "addresses": self.addresses,
            "facilities": self.facilities,
            "disputes": self.disputes,
            "signals": self.signals,
        }


def _region_prefix(county: pd.Series) -> str:
    """How people write the county's prefecture in an address: 甘南藏族自治州 → 甘南州."""
    parent = county.get("parent_name")
    if not isinstance(parent, str) or not parent:
        return ""
    if parent.endswith("自治州"):
        return parent[:2] + "州"
    return parent


def _seat_index(townships: pd.DataFrame) -> int:
    """The township holding the county town: a 城关镇 if there is one, else the first code."""
    hits = np.flatnonzero(townships["name"].str.contains("城关").to_numpy())
    return int(hits[0]) if len(hits) else 0


def _to_gdf(frame: pd.DataFrame, geoms, frame_of: LocalFrame) -> gpd.GeoDataFrame:
    lonlat = frame_of.to_lonlat(np.asarray(geoms, dtype=object))
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=list(lonlat), crs=CRS)


def _points_gdf(frame: pd.DataFrame, frame_of: LocalFrame) -> gpd.GeoDataFrame:
    lonlat = frame_of.xy_to_lonlat(frame[["x", "y"]].to_numpy())
    out = frame.drop(columns=["x", "y"]).reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(*lonlat.T), crs=CRS)


def generate(
    *,
    seed: int = 623021,
    end: dt.date = dt.date(2026, 11, 15),
    years: int = 2,
    county_code: str = "623021",
    boundary: BaseGeometry | None = None,
    divisions: pd.DataFrame | None = None,
) -> DemoCounty:
    """Build a synthetic county on a real outline and a real list of divisions.

    ``boundary`` (shapely geometry, EPSG:4326) and ``divisions`` (a table like
    ``data/lintan_623021_divisions.csv``) default to Lintan. The same seed always gives the same
    frames. See ``demo/README.md`` for the generative process.
    """
    boundary = load_default_boundary() if boundary is None else boundary
    divisions = load_default_divisions() if divisions is None else divisions
    if boundary.is_empty or boundary.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError("boundary must be a Polygon or MultiPolygon in EPSG:4326")
    boundary = as_multipolygon(boundary)
    div = prepare_divisions(divisions, county_code)
    targets = targets_for(county_code, len(div.villages))
    streams = dict(
        zip(
            STREAMS,
            (
                np.random.default_rng(s)
                for s in np.random.SeedSequence([seed, int(county_code)]).spawn(len(STREAMS))
            ),
            strict=True,
        )
    )
    frame = LocalFrame.around(boundary)
    county_local = frame.to_local(boundary)
    tcodes = div.townships["code"].tolist()
    township_of_village = div.villages["parent_code"].map(tcodes.index).to_numpy()
    seat_index = _seat_index(div.townships)
    layout = build_layout(
        county_local,
        township_of_village,
        div.villages["is_community"].to_numpy(),
        len(tcodes),
        seat_index,
        streams["layout"],
    )
    places = build_places(div, layout, targets, county_code, streams["places"])
    township_households = (
        (places.villages.groupby("township_index")["houses"].sum().reindex(range(len(tcodes))))
        .fillna(0)
        .to_numpy()
    )
    facilities = build_facilities(div, layout, township_households, county_code,
                                  streams["facilities"])  # fmt: skip
    staff, grid_leader, group_leader = build_staff(
        places.grids, places.groups, tcodes, county_code, streams["staff"]
    )

    admin_units = _admin_units(div, layout, boundary, county_code, frame)
    grids = places.grids.assign(leader_staff_code=places.grids["code"].map(grid_leader))
    grids = _to_gdf(grids.drop(columns="geometry"), grids["geometry"], frame)
    groups = places.groups.assign(leader_staff_code=places.groups["code"].map(group_leader))
    groups = _to_gdf(groups.drop(columns="geometry"), groups["geometry"], frame)
    groups.insert(2, "county_code", county_code)
    address_cols = [
        "code", "county_code", "township_code", "village_code", "full_text", "township",
        "village", "group_no", "road", "number", "building", "houses", "residents",
        "grid_code", "household_group_code", "x", "y",
    ]  # fmt: skip
    addresses = places.addresses[address_cols].copy()
    addresses["group_no"] = addresses["group_no"].astype("Int64")
    for column in ("road", "building"):
        addresses[column] = addresses[column].astype(object).where(addresses[column].notna(), None)
    addresses = _points_gdf(addresses, frame)
    facilities_gdf = _points_gdf(facilities, frame)

    disputes, signals = build_events(
        places=places,
        addresses=addresses,
        grids=grids,
        facilities=facilities_gdf,
        frame=frame,
        targets=targets,
        end=end,
        years=years,
        county_code=county_code,
        county_name=str(div.county["name"]),
        county_region=_region_prefix(div.county),
        rng=streams["events"],
    )
    for table in (grids, groups, addresses, facilities_gdf, staff, disputes, signals):
        table["synthetic"] = True
    return DemoCounty(
        county_code=county_code,
        admin_units=admin_units,
        grids=grids,
        household_groups=groups,
        addresses=addresses,
        facilities=facilities_gdf,
        staff=staff,
        disputes=disputes,
        signals=signals,
    )


def _admin_units(div, layout, boundary, county_code: str, frame: LocalFrame) -> gpd.GeoDataFrame:
    county = div.county
    rows = [
        {
            "code": county_code,
            "level": "county",
            "parent_code": str(county["parent_code"]),
            "name": str(county["name"]),
            "short_name": str(county["name"]),
            "county_code": county_code,
            "aliases": None,
            "synthetic_geom": False,
            "geometry": boundary,
        }
    ]
    for level, table, geoms in (
        ("township", div.townships, layout.township_geoms),
        ("village", div.villages, layout.village_geoms),
    ):
        lonlat = frame.to_lonlat(np.asarray(geoms, dtype=object))
        for row, geom in zip(table.itertuples(index=False), lonlat, strict=True):
            rows.append(
                {
                    "code": row.code,
                    "level": level,
                    "parent_code": row.parent_code,
                    "name": row.name,
                    "short_name": row.short_name,
                    "county_code": county_code,
                    "aliases": list(row.aliases) or None,
                    "synthetic_geom": True,
                    "geometry": as_multipolygon(geom),
                }
            )
    units = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    units["synthetic"] = units["synthetic_geom"]
    communities = div.villages.loc[div.villages["is_community"], "code"]
    units["is_community"] = units["code"].isin(communities)
    return units
