"""``wangge backtest`` on small synthetic CSVs: the report contract and clear refusals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import typer
from typer.testing import CliRunner

from api.cli.backtest import register

METHODS = {
    "model",
    "trees",
    "eb",
    "sepp",
    "last_period",
    "long_run",
    "kde",
    "prospective",
    "gistar",
}


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command keeps typer's sub-command syntax
        """Nothing."""

    return app


def _synthetic_csv(path, n=600, seed=0):
    """SYNTHETIC events near Lintan: two clusters over 40 weeks, with an extra column."""
    rng = np.random.default_rng(seed)
    centre = np.where(rng.random(n) < 0.6, 0, 1)
    lon = np.array([103.35, 103.37])[centre] + rng.normal(0, 0.004, n)
    lat = np.array([34.69, 34.70])[centre] + rng.normal(0, 0.004, n)
    time = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 280 * 24, n), unit="h")
    pd.DataFrame({"id": range(n), "lon": lon, "lat": lat, "time": time}).to_csv(path, index=False)


def test_report_has_the_contract_keys(tmp_path):
    events = tmp_path / "events.csv"
    out = tmp_path / "report.json"
    _synthetic_csv(events)
    args = ["backtest", "--events", str(events), "--cell-size", "500"]
    result = CliRunner().invoke(_app(), [*args, "--test-periods", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["cell_size"] == 500 and report["period"] == "week"
    assert report["study_cells"] > 0 and len(report["test_periods"]) == 4
    assert set(report["methods"]) == METHODS
    for block in report["methods"].values():
        assert set(block) == {"hit_rate", "pai", "pei"}
        for metric in block.values():
            assert set(metric) == {"1", "5", "10"}
    assert report["crs"] == "EPSG:32648"
    assert set(report["calibration"]) == METHODS and set(report["stability"]) == METHODS
    for block in report["calibration"].values():
        assert 0 <= block["brier"] <= 1
        assert sum(n for _, _, n in block["bins"]) == 4 * report["study_cells"]
        assert all(0 <= p <= 1 and 0 <= o <= 1 for p, o, _ in block["bins"])
    assert set(report["selection"]) == {"1", "5", "10"}
    assert sum(report["selection"]["5"].values()) == 4


def test_short_data_get_a_test_window_chosen_and_said(tmp_path):
    events = tmp_path / "events.csv"
    out = tmp_path / "report.json"
    _synthetic_csv(events, n=300)  # 40 weeks: too few for the default 104 test weeks
    args = ["backtest", "--events", str(events), "--cell-size", "500", "--out", str(out)]
    result = CliRunner().invoke(_app(), [*args, "--hysteresis", "0.02"])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert len(report["test_periods"]) == 40 // 3
    assert "testing the last 13" in report["note"] and "改为检验最后13周" in report["note"]
    assert "model_hysteresis" in report["methods"]


def test_a_monthly_year_works_with_defaults(tmp_path):
    events = tmp_path / "events.csv"
    out = tmp_path / "report.json"
    _synthetic_csv(events, n=300)
    frame = pd.read_csv(events)
    frame["time"] = (
        pd.Timestamp("2023-01-01")
        + (pd.to_datetime(frame["time"]) - pd.Timestamp("2024-01-01")) * 1.3
    )
    frame.to_csv(events, index=False)
    args = ["backtest", "--events", str(events), "--cell-size", "500", "--period", "month"]
    result = CliRunner().invoke(_app(), [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert 3 <= len(report["test_periods"]) <= 4 and report["note"]


def test_swapped_columns_are_refused(tmp_path):
    events = tmp_path / "events.csv"
    _synthetic_csv(events, n=50)
    frame = pd.read_csv(events).rename(columns={"lon": "lat", "lat": "lon"})
    frame.to_csv(events, index=False)
    result = CliRunner().invoke(_app(), ["backtest", "--events", str(events), "--cell-size", "500"])
    assert result.exit_code != 0
    assert "swapped" in result.output


def test_bad_time_names_the_row_and_field(tmp_path):
    events = tmp_path / "events.csv"
    _synthetic_csv(events, n=50)
    frame = pd.read_csv(events)
    frame.loc[3, "time"] = "not a date"
    frame.to_csv(events, index=False)
    result = CliRunner().invoke(_app(), ["backtest", "--events", str(events), "--cell-size", "500"])
    assert result.exit_code != 0
    assert "row 5" in result.output and "time" in result.output


def test_area_sets_the_study_cells(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    events = tmp_path / "events.csv"
    _synthetic_csv(events)
    area = tmp_path / "area.geojson"
    # About 1.8 km × 2.2 km around the first cluster: a fixed count of 500 m cells, empty ones too.
    gpd.GeoDataFrame(geometry=[box(103.34, 34.68, 103.36, 34.70)], crs="EPSG:4326").to_file(area)
    out = tmp_path / "report.json"
    args = ["backtest", "--events", str(events), "--cell-size", "500", "--test-periods", "3"]
    result = CliRunner().invoke(_app(), [*args, "--area", str(area), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert 12 <= report["study_cells"] <= 20


def test_events_of_a_single_period_are_refused_plainly(tmp_path):
    events = tmp_path / "events.csv"
    times = pd.date_range("2024-01-01", periods=5, freq="h")
    pd.DataFrame({"lon": 103.35, "lat": 34.69, "time": times}).to_csv(events, index=False)
    result = CliRunner().invoke(_app(), ["backtest", "--events", str(events), "--cell-size", "500"])
    assert result.exit_code != 0
    assert "single period" in result.output and "Traceback" not in result.output
