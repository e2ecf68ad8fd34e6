"""Points on square cells for the backtest: UTM cells, study cells, test window (synthetic)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from models.cells import CellStudyError, choose_test_window, study_cells, to_cells

LON, LAT = 103.35, 34.69  # Lintan; UTM zone 48 N


def _events(times, lons, lats):
    return pd.DataFrame({"lon": lons, "lat": lats, "time": pd.to_datetime(times)})


def test_cells_and_periods_in_the_centroids_utm_zone():
    events = _events(["2024-01-01", "2024-01-02", "2024-01-09"], [LON, LON, LON + 0.02],
                     [LAT, LAT, LAT])  # fmt: skip
    cells = to_cells(events, cell_size=500, period="week")
    assert cells.epsg == 32648
    assert cells.cell[0] == cells.cell[1] != cells.cell[2]
    assert list(cells.period) == [0, 0, 1] and len(cells.starts) == 2


def test_study_cells_are_those_with_events_before_the_test_window():
    # Week 0 and 1: the first cell; week 2 (tested): a new cell far away, left out of the study.
    events = _events(["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-16"],
                     [LON, LON, LON, LON + 0.1], [LAT] * 4)  # fmt: skip
    study = study_cells(events, cell_size=500, period="week", test_periods=1)
    assert study.col.size == 1 and study.events_inside == 3
    assert study.test_periods == [2]
    np.testing.assert_array_equal(study.counts[:, 0], [1, 1, 1])
    report = study.report({"methods": {}, "stability": {}, "events": 1})
    assert report["test_periods"] == ["2024-01-15"] and report["crs"] == "EPSG:32648"
    assert report["study_cells"] == 1


def test_an_area_sets_the_study_cells_including_empty_ones():
    events = _events(["2024-01-01", "2024-01-20"], [LON, LON], [LAT, LAT])
    area = gpd.GeoSeries([box(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01)], crs="EPSG:4326")
    study = study_cells(events, cell_size=500, period="week", test_periods=1, area=area)
    assert 12 <= study.col.size <= 25  # about 1.8 km × 2.2 km of 500 m cells
    assert study.counts.sum() == 2


def test_a_single_period_is_refused_in_both_languages():
    events = _events(["2024-01-01", "2024-01-02"], [LON, LON], [LAT, LAT])
    with pytest.raises(CellStudyError, match=r"只跨一个周期.*single period"):
        study_cells(events, cell_size=500, period="week", test_periods=4)


def test_the_test_window_is_chosen_when_the_data_are_short():
    assert choose_test_window(784, 104, "week") == (104, None)
    n_test, note = choose_test_window(17, 104, "week")
    assert n_test == 5 and "testing the last 5" in note and "改为检验最后5周" in note
    assert choose_test_window(12, 104, "month")[0] == 4
    assert choose_test_window(2, 104, "day")[0] == 1
    with pytest.raises(CellStudyError, match=r"至少需要两个周期.*at least two periods"):
        choose_test_window(1, 104, "week")
