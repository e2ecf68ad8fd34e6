"""``wangge staff import``: Chinese headers, every problem with row and header, all-or-nothing,
re-import changes nothing, leaders set (real PostGIS: the demo county, rolled back)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from core.errors import ImportRejected
from geo.staff.importing import import_staff

HEADERS = ["姓名", "类别/身份", "单位", "联系电话", "网格编码", "联防组编码"]


def write_sheet(path: Path, rows: list[list], *, title: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["临潭县“8+”力量花名册（测试）"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def places(demo_db):
    grid, village, township = demo_db.execute(
        text("SELECT code, village_code, township_code FROM grid WHERE valid_to IS NULL "
             "ORDER BY code LIMIT 1")
    ).one()  # fmt: skip
    group = demo_db.execute(
        text("SELECT h.code FROM household_group h JOIN grid g ON g.id = h.grid_id "
             "WHERE g.code = :g AND h.valid_to IS NULL ORDER BY h.code LIMIT 1"), {"g": grid}
    ).scalar_one()  # fmt: skip
    short = demo_db.execute(
        text("SELECT short_name FROM admin_unit WHERE code = :t"), {"t": township}
    ).scalar_one()
    return {"grid": grid, "village": village, "township": township, "group": group,
            "township_name": short}  # fmt: skip


def good_rows(p: dict) -> list[list]:
    return [
        ["张测试", "网格长", p["village"], "13912345678", p["grid"], None],
        ["李测试", "十户长", p["village"], "13912345679", None, p["group"]],
        ["王测试", "县级干部", p["township_name"], "0941-1234567", f"{p['grid']}，", None],
        ["赵测试", "村两委", p["village"], None, p["grid"], None],
    ]


def _count(session, sql: str, **params) -> int:
    return session.execute(text(sql), params).scalar_one()


def test_a_good_sheet_is_written_and_leaders_are_set(demo_db, places, tmp_path):
    before = _count(demo_db, "SELECT count(*) FROM staff")
    path = write_sheet(tmp_path / "staff.xlsx", good_rows(places))
    counts = import_staff(session=demo_db, path=path)
    assert counts == {"rows": 4, "inserted": 4, "updated": 0, "grid_leaders": 1,
                      "group_leaders": 1, "grid_links": 4}  # fmt: skip
    assert _count(demo_db, "SELECT count(*) FROM staff") == before + 4
    leader = demo_db.execute(
        text("SELECT s.name, c.phone FROM grid g JOIN staff s ON s.id = g.leader_id "
             "JOIN staff_contact c ON c.staff_id = s.id WHERE g.code = :g AND g.valid_to IS NULL"),
        {"g": places["grid"]},
    ).one()  # fmt: skip
    assert tuple(leader) == ("张测试", "13912345678")
    group_leader = _count(
        demo_db,
        "SELECT count(*) FROM household_group h JOIN staff s ON s.id = h.leader_id "
        "WHERE h.code = :h AND s.name = '李测试'",
        h=places["group"],
    )
    assert group_leader == 1
    cadre = demo_db.execute(
        text("SELECT role, unit_code FROM staff WHERE name = '王测试'")
    ).one()  # fmt: skip
    assert tuple(cadre) == ("county_cadre", places["township"])
    again = import_staff(session=demo_db, path=path)
    assert (again["inserted"], again["updated"]) == (0, 4)
    assert _count(demo_db, "SELECT count(*) FROM staff") == before + 4


def test_every_problem_is_listed_and_nothing_is_written(demo_db, places, tmp_path):
    rows = [
        *good_rows(places),
        ["", "村两委", places["village"], None, places["grid"], None],
        ["钱测试", "队长", places["village"], None, None, None],
        ["孙测试", "民兵", "不存在村", "12345", None, None],
        ["周测试", "十户长", places["village"], None, "9999", None],
        ["吴测试", "网格长", places["village"], None, places["grid"], None],
        ["郑测试", "民兵", places["village"], None, None, places["group"]],
    ]
    path = write_sheet(tmp_path / "bad.xlsx", rows)
    before = _count(demo_db, "SELECT count(*) FROM staff")
    with pytest.raises(ImportRejected) as info:
        import_staff(session=demo_db, path=path)
    found = {(p.row, p.field) for p in info.value.problems}
    # the title is row 1, headers row 2, the good rows 3-6, the bad ones from row 7
    assert found == {
        (7, "姓名"), (8, "类别/身份"), (9, "单位"), (9, "联系电话"), (10, "网格编码"),
        (10, "联防组编码"), (11, "网格编码"), (12, "联防组编码"),
    }  # fmt: skip
    reasons = {(p.row, p.field): p.reason for p in info.value.problems}
    assert "row 3" in reasons[(11, "网格编码")]  # the grid already has a leader in row 3
    assert "nothing was written" in str(info.value)
    assert _count(demo_db, "SELECT count(*) FROM staff") == before


def write_county_roster(path: Path, rows: list[list]) -> Path:
    """A roster as a township sends it: merged title, 填报单位 line, header on row 3, a blank
    row, a 合计 row and a 填报人/审核人 footer."""
    book = Workbook()
    sheet = book.active
    sheet.append(["临潭县“8+”力量花名册（2026年11月）"])
    sheet.merge_cells("A1:F1")
    sheet.append(["填报单位：冶力关镇", None, None, "填报日期：2026年11月30日"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
        sheet.append([])
    sheet.append(["合  计", f"{len(rows)}人"])
    sheet.append(["填报人：张三", None, "审核人：李四"])
    book.save(path)
    return path


def test_a_county_roster_with_title_totals_and_footer_is_imported(demo_db, places, tmp_path):
    rows = good_rows(places)[:2]
    path = write_county_roster(tmp_path / "roster.xlsx", rows)
    counts = import_staff(session=demo_db, path=path)
    assert (counts["rows"], counts["inserted"]) == (2, 2)
    bad = write_county_roster(
        tmp_path / "bad.xlsx", [*rows, ["钱测试", "队长", places["village"], None, None, None]]
    )
    with pytest.raises(ImportRejected) as info:
        import_staff(session=demo_db, path=bad)
    # title row 1, 填报单位 row 2, header row 3, records on rows 4, 6 and 8 (blank rows between)
    assert [(p.row, p.field) for p in info.value.problems] == [(8, "类别/身份")]
    assert info.value.problems[0].reason.startswith("未知类别 / unknown role '队长'")


def test_a_sheet_without_the_needed_headers_is_refused(demo_db, tmp_path):
    book = Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["张测试", "13912345678"])
    book.save(tmp_path / "h.xlsx")
    with pytest.raises(ImportRejected) as info:
        import_staff(session=demo_db, path=tmp_path / "h.xlsx")
    assert {p.field for p in info.value.problems} == {"类别/身份", "单位"}
    book = Workbook()
    book.active.append(["名字"])
    book.save(tmp_path / "none.xlsx")
    with pytest.raises(ImportRejected, match="姓名"):
        import_staff(session=demo_db, path=tmp_path / "none.xlsx")


def test_the_command_imports_and_refuses(fresh_demo_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    from geo.database.engine import make_engine

    engine = make_engine(fresh_demo_url, pool_size=1)
    try:
        with engine.connect() as conn:
            grid, village = conn.execute(
                text("SELECT code, village_code FROM grid WHERE valid_to IS NULL "
                     "ORDER BY code LIMIT 1")
            ).one()  # fmt: skip
        bad = write_sheet(tmp_path / "bad.xlsx", [["张测试", "队长", village, None, grid, None]])
        refused = CliRunner().invoke(app, ["staff", "import", str(bad)])
        assert refused.exit_code == 2
        assert "row 3, field '类别/身份'" in refused.output
        row = ["张测试", "网格长", village, None, grid, None]
        good = write_sheet(tmp_path / "good.xlsx", [row])
        done = CliRunner().invoke(app, ["staff", "import", str(good), "--json"])
        assert done.exit_code == 0, done.output
        assert '"inserted": 1' in done.output
        with engine.connect() as conn:
            named = text("SELECT count(*) FROM staff WHERE name = '张测试'")
            assert conn.execute(named).scalar() == 1
        out = tmp_path / "ledger.xlsx"
        exported = CliRunner().invoke(
            app, ["ledger", "export", "--from", "2026-01-01", "--to", "2026-09-30", "-o", str(out)]
        )
        assert exported.exit_code == 0, exported.output
        assert out.stat().st_size > 0
    finally:
        engine.dispose()
