"""Redraw inputs from GeoDataFrames (the demo generator's frames, or files), without a database."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.redraw.village import VillageInput


def inputs_from_frames(
    *,
    admin_units: gpd.GeoDataFrame,
    grids: gpd.GeoDataFrame,
    addresses: gpd.GeoDataFrame,
    household_groups: gpd.GeoDataFrame | None = None,
    scope: str | None = None,
) -> list[VillageInput]:
    """One :class:`VillageInput` per village of ``scope`` (all villages when ``None``).

    ``addresses`` need ``houses``, ``village_code``, ``grid_code`` and optionally
    ``household_group_code``; their row position (from 1) stands in for the address id when
    there is no ``id`` column.
    """
    villages = admin_units[admin_units["level"] == "village"]
    if scope is not None:
        villages = villages[
            (villages["code"] == scope)
            | (villages["parent_code"] == scope)
            | (villages["county_code"] == scope)
        ]
    ids = (
        addresses["id"].to_numpy()
        if "id" in addresses
        else np.arange(1, len(addresses) + 1, dtype=np.int64)
    )
    group_col = (
        addresses["household_group_code"]
        if "household_group_code" in addresses
        else [None] * len(addresses)
    )
    frame = addresses.assign(_id=ids, _group=list(group_col))
    by_village = dict(list(frame.groupby("village_code")))
    grids_by_village = dict(list(grids.groupby("village_code")))
    inputs = []
    for row in villages.sort_values("code").itertuples():
        found = by_village.get(row.code)
        if found is None or found.empty:
            continue
        current = grids_by_village.get(row.code)
        current_grids = (
            {} if current is None else dict(zip(current["code"], current.geometry, strict=True))
        )
        inputs.append(
            VillageInput(
                code=row.code,
                geom=row.geometry,
                address_ids=found["_id"].to_numpy(),
                points=found.geometry.to_numpy(),
                houses=found["houses"].to_numpy(dtype=float),
                grid_codes=np.array(
                    [c if isinstance(c, str) else None for c in found["grid_code"]], dtype=object
                ),
                group_codes=np.array(
                    [c if isinstance(c, str) else None for c in found["_group"]], dtype=object
                ),
                current_grids=current_grids,
                used_grid_codes=set(current_grids),
                used_group_codes=set()
                if household_groups is None
                else set(
                    household_groups.loc[
                        household_groups["grid_code"].isin(current_grids), "code"
                    ].tolist()
                ),
            )
        )
    return inputs
