"""Data-quality reports computed in PostGIS: tiling of admin units and grids, address placement."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql

DEFAULT_EPSG = 32648


def admin_tiling(
    *, session: Session, county: str, parent_level: str, child_level: str, epsg: int = DEFAULT_EPSG
) -> pd.DataFrame:
    """Per parent unit: area, gap, overlap and overhang of its children (m²)."""
    rows = session.execute(
        sql("tiling_report"),
        {"county": county, "parent_level": parent_level, "child_level": child_level, "epsg": epsg},
    ).mappings()
    return pd.DataFrame(list(rows))


def grid_tiling(*, session: Session, county: str, epsg: int = DEFAULT_EPSG) -> pd.DataFrame:
    """Per village: area, gap, overlap and overhang of its current grids (m²)."""
    rows = session.execute(sql("grid_tiling_report"), {"county": county, "epsg": epsg}).mappings()
    return pd.DataFrame(list(rows))


def address_placement(*, session: Session, county: str) -> pd.DataFrame:
    """Per address: covering grids, stored vs rule grid, inside its village."""
    rows = session.execute(sql("address_placement_check"), {"county": county}).mappings()
    return pd.DataFrame(list(rows))
