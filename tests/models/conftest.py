"""Real incident cells shared by the model tests (NYPD shootings, ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from models.spatial import grid_adjacency

NYC_CSV = (
    Path(__file__).resolve().parents[3]
    / "shared/data/nypd_shootings/NYPD_Shooting_Incident_Data__Historic_.csv"
)


@pytest.fixture(scope="session")
def nyc_cells() -> dict[str, np.ndarray]:
    """2019 shootings counted on 500 m cells (EPSG:32618): cell col/row, counts, queen adjacency."""
    raw = pd.read_csv(
        NYC_CSV, encoding="utf-8-sig", usecols=["OCCUR_DATE", "Latitude", "Longitude"]
    )
    raw = raw[raw["OCCUR_DATE"].str.endswith("/19")]
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32618", always_xy=True)
    x, y = to_utm.transform(raw["Longitude"].to_numpy(), raw["Latitude"].to_numpy())
    keys = np.column_stack([np.floor(x / 500), np.floor(y / 500)]).astype(np.int64)
    cells, inverse = np.unique(keys, axis=0, return_inverse=True)
    counts = np.bincount(inverse.ravel(), minlength=len(cells)).astype(float)
    adjacency = grid_adjacency(cells[:, 0], cells[:, 1], queen=True)
    return {"col": cells[:, 0], "row": cells[:, 1], "counts": counts, "adjacency": adjacency}
