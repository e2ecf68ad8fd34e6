"""Admin units, addresses, grids and ten-household groups of a demo county (local metres)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo.addresses import address_counts, community_addresses, rural_addresses, town_streets
from demo.chinese import chinese_numeral
from demo.grids import (
    address_cells,
    clean_coverage,
    dissolve,
    order_north_west,
    separate,
    union_by,
    weighted_kmeans,
)
from demo.inputs import Divisions
from demo.profile import CountyTargets, apportion
from demo.settlement import Layout

HOUSES_PER_ADDRESS = {"community": 4.0, "village": 1.35}
COMMUNITY_SIZE_FACTOR = 5.0
COUNTY_TOWN_SIZE_FACTOR = 1.3
HOUSEHOLDS_PER_GRID_TOWN_FACTOR = 1.6  # town grids hold more households than rural ones


@dataclass
class Places:
    """Per-village counts and the address, grid and group tables (geometry in local metres)."""

    villages: pd.DataFrame  # + houses, residents, n_addresses, n_grids, centre x/y
    addresses: pd.DataFrame  # x, y, address parts, counts, grid/group codes
    grids: pd.DataFrame  # code, name, village/township codes, counts, geometry (local)
    groups: pd.DataFrame  # code, grid_code, households, leader_address_code, geometry (local)


def _village_sizes(
    divisions: Divisions, layout: Layout, targets: CountyTargets, rng: np.random.Generator
) -> pd.DataFrame:
    villages = divisions.villages.copy()
    tcodes = list(divisions.townships["code"])
    t_index = villages["parent_code"].map(tcodes.index).to_numpy()
    seats = layout.township_seats[t_index]
    dist_km = np.hypot(*(layout.village_centres - seats).T) / 1000.0
    community = villages["is_community"].to_numpy()
    weight = rng.lognormal(0.0, 0.45, len(villages)) * np.exp(-dist_km / 15.0)
    weight = weight * np.where(community, COMMUNITY_SIZE_FACTOR, 1.0)
    weight = weight * np.where(t_index == layout.seat_index, COUNTY_TOWN_SIZE_FACTOR, 1.0)
    ratio = np.where(community, HOUSES_PER_ADDRESS["community"], HOUSES_PER_ADDRESS["village"])
    n_grids = apportion(
        targets.grids, weight / np.where(community, HOUSEHOLDS_PER_GRID_TOWN_FACTOR, 1.0), 1
    )
    n_addr = apportion(targets.addresses, weight / ratio, 0)
    # every grid needs a handful of addresses to hold its groups
    n_addr = np.maximum(n_addr, 6 * n_grids)
    n_addr = n_addr - apportion(int(n_addr.sum()) - targets.addresses, n_addr - 6 * n_grids, 0)
    extra = apportion(targets.houses - targets.addresses, n_addr * (ratio - 1.0), 0)
    villages["township_index"] = t_index
    villages["x"], villages["y"] = layout.village_centres.T
    villages["n_addresses"] = n_addr
    villages["houses"] = n_addr + extra
    villages["residents"] = apportion(targets.residents, villages["houses"].to_numpy(), 0)
    villages["n_grids"] = n_grids
    villages["dist_to_seat_km"] = dist_km
    return villages


def _address_text(county: str, township: str, village: str, row) -> str:
    if not isinstance(row.road, str):
        return f"{county}{township}{village}{chinese_numeral(int(row.group_no))}组{row.number}号"
    unit = row.building if isinstance(row.building, str) else ""
    return f"{county}{township}{village}{row.road}{row.number}号{unit}"


def build_places(
    divisions: Divisions,
    layout: Layout,
    targets: CountyTargets,
    county_code: str,
    rng: np.random.Generator,
) -> Places:
    """Addresses in every village, then grids and groups from them, all with their codes."""
    villages = _village_sizes(divisions, layout, targets, rng)
    county_name = str(divisions.county["name"])
    tnames = divisions.townships["short_name"].tolist()
    tcodes = divisions.townships["code"].tolist()
    streets_of: dict[int, list] = {}
    for t in sorted(set(villages.loc[villages["is_community"], "township_index"])):
        n_comm = int((villages["is_community"] & (villages["township_index"] == t)).sum())
        streets_of[t] = town_streets(layout.township_seats[t], n_comm, rng)

    group_total = targets.household_groups
    grid_sizes: list[np.ndarray] = []
    per_village = []
    for v, row in enumerate(villages.itertuples(index=False)):
        geom = layout.village_geoms[v]
        if row.is_community:
            table = community_addresses(geom, streets_of[row.township_index], row.n_addresses, rng)
        else:
            centre = layout.village_centres[v]
            table = rural_addresses(geom, centre, layout.valleys, row.n_addresses, rng)
        table[["x", "y"]] = separate(table[["x", "y"]].to_numpy(), geom, rng)
        houses, residents = address_counts(
            row.n_addresses, row.houses, row.residents, table["form"].to_numpy(), rng
        )
        table["houses"], table["residents"] = houses, residents
        pts = table[["x", "y"]].to_numpy()
        k = int(row.n_grids)
        labels = order_north_west(pts, weighted_kmeans(pts, houses, k, rng), k)
        table["grid_seq"] = labels + 1
        grid_sizes.append(np.bincount(labels, weights=houses, minlength=k))
        per_village.append(table)
    sizes = np.concatenate(grid_sizes)
    groups_per_grid = 1 + apportion(group_total - len(sizes), sizes, 0)

    address_tables, grid_rows, group_rows = [], [], []
    g_offset, row_offset = 0, 0
    village_rows = zip(villages.itertuples(index=False), per_village, strict=True)
    for v, (row, table) in enumerate(village_rows):
        pts = table[["x", "y"]].to_numpy()
        houses = table["houses"].to_numpy()
        residents = table["residents"].to_numpy()
        grid_seq = table["grid_seq"].to_numpy()
        cells = address_cells(pts, layout.village_geoms[v])
        vcode, tcode = row.code, tcodes[row.township_index]
        table["county_code"], table["township_code"], table["village_code"] = (
            county_code, tcode, vcode
        )  # fmt: skip
        table["township"], table["village"] = tnames[row.township_index], row.short_name
        table["full_text"] = [
            _address_text(county_name, tnames[row.township_index], row.short_name, r)
            for r in table.itertuples(index=False)
        ]
        table["grid_code"] = [f"{vcode}{s:03d}" for s in grid_seq]
        group_code = np.empty(len(table), dtype=object)
        for seq in range(1, int(row.n_grids) + 1):
            members = np.flatnonzero(grid_seq == seq)
            n_groups = int(min(groups_per_grid[g_offset + seq - 1], len(members)))
            gpts = pts[members]
            glabels = order_north_west(
                gpts, weighted_kmeans(gpts, houses[members], n_groups, rng), n_groups
            )
            grid_code = f"{vcode}{seq:03d}"
            gcodes = np.array([f"{grid_code}{j + 1:02d}" for j in range(n_groups)])
            group_code[members] = gcodes[glabels]
            group_geoms = dissolve(cells[members], glabels, n_groups)
            for j in range(n_groups):
                in_group = members[glabels == j]
                group_rows.append(
                    {
                        "code": gcodes[j],
                        "grid_code": grid_code,
                        "households": int(houses[in_group].sum()),
                        "leader_row": row_offset + int(in_group[np.argmax(houses[in_group])]),
                        "geometry": group_geoms[j],
                    }
                )
            grid_rows.append(
                {
                    "code": grid_code,
                    "name": f"{row.short_name}第{seq}网格",
                    "county_code": county_code,
                    "township_code": tcode,
                    "village_code": vcode,
                    "households": int(houses[members].sum()),
                    "population": int(residents[members].sum()),
                }
            )
        table["household_group_code"] = group_code
        g_offset += int(row.n_grids)
        row_offset += len(table)
        address_tables.append(table)

    addresses = pd.concat(address_tables, ignore_index=True)
    addresses["number_sort"] = pd.to_numeric(addresses["number"], errors="coerce")
    order = addresses.sort_values(
        ["grid_code", "group_no", "road", "number_sort", "building"],
        na_position="first",
        kind="stable",
    ).index
    sequence = pd.Series(0, index=addresses.index)
    sequence.loc[order] = addresses.loc[order].groupby("grid_code").cumcount().to_numpy() + 1
    addresses["code"] = addresses["grid_code"] + sequence.map("{:04d}".format)
    addresses = addresses.loc[order].drop(columns="number_sort")
    groups = pd.DataFrame(group_rows)
    groups["leader_address_code"] = addresses["code"].reindex(groups.pop("leader_row")).to_numpy()
    addresses = addresses.reset_index(drop=True)
    grids = pd.DataFrame(grid_rows)
    # every level becomes a union of one edge-matched set of groups, so all levels tile exactly
    groups["geometry"] = clean_coverage(groups["geometry"].tolist())
    grids["geometry"] = union_by(groups["geometry"], groups["grid_code"], grids["code"])
    layout.village_geoms = union_by(grids["geometry"], grids["village_code"], villages["code"])
    township_of_village = villages["township_index"].tolist()
    layout.township_geoms = union_by(
        layout.village_geoms, township_of_village, list(range(len(layout.township_geoms)))
    )
    return Places(villages, addresses, grids, groups)
