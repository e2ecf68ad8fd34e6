"""Issue 15 item 6: a disputes ledger uploaded as a file (``POST /api/v1/disputes/upload``),
previewed row by row, then committed in one transaction, over real HTTP on a private copy of
the demo county."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.api.upload_files import (
    DISPUTE_HEADER,
    HOSTILE,
    XLSX,
    dispute_rows,
    ledger_csv_gbk,
    ledger_xlsx,
    places,
    query,
)

TITLE = "临潭县矛盾纠纷排查化解台账（2026年11月）"
UPLOAD = "/api/v1/disputes/upload"


@pytest.fixture
def served(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    return fresh_demo_url, start_server(fresh_demo_url), users


def _counts(url: str) -> dict:
    return query(
        url,
        "SELECT (SELECT count(*) FROM dispute) AS disputes, "
        "(SELECT count(*) FROM dispute_event) AS events, "
        "(SELECT count(*) FROM dispute_party) AS parties",
    )[0]


def _send(client, name, content, kind=XLSX, **form):
    fields = {key: str(value).lower() if isinstance(value, bool) else value
              for key, value in form.items()}  # fmt: skip
    return client.post(UPLOAD, files={"file": (name, content, kind)}, data=fields)


def test_an_xlsx_ledger_previewed_then_committed(served):
    url, base, users = served
    at = places(url, users["township"].scope_code)
    workbook = ledger_xlsx(TITLE, DISPUTE_HEADER, dispute_rows(at))
    before = _counts(url)
    with httpx.Client(base_url=base, timeout=180, headers=users["county_centre"].headers) as c:
        answer = _send(c, "矛盾纠纷台账.xlsx", workbook, dry_run=True)
        assert answer.status_code == 200, answer.text
        preview = answer.json()
        assert _counts(url) == before  # a dry run stores nothing, events and parties included
        assert (
            query(url, "SELECT count(*) AS n FROM dispute WHERE external_id LIKE 'JF-UP-%'")[0]["n"]
            == 0
        )

        by_row = {r["row"]: r for r in preview["rows"]}
        assert {r: by_row[r]["outcome"] for r in by_row} == {
            3: "accepted", 4: "duplicate", 5: "needs_location", 6: "refused", 7: "refused",
            8: "refused", 9: "already_present",
        }  # fmt: skip
        assert by_row[3]["grid"] == at.quiet["grid"] and at.quiet["grid"] in by_row[3]["place"]
        assert by_row[4]["duplicate_of_row"] == 3 and "第 3 行" in by_row[4]["reason"]
        assert by_row[5]["grid"] is None and "位置待核实" in by_row[5]["label"]
        assert by_row[6]["column"] == "发生地点"  # the column as the file names it
        assert by_row[7]["column"] == "纠纷类别" and HOSTILE in by_row[7]["reason"]
        assert by_row[8]["column"] == "编号" and "3" in by_row[8]["reason"]
        assert by_row[9]["external_id"] == at.stored_id
        assert all(r["case_id"] is None for r in preview["rows"])
        assert [(s["row"], s["kind"]) for s in preview["skipped"]] == [
            (1, "title"), (10, "totals"), (11, "footer"),
        ]  # fmt: skip
        assert preview["counts"] == {
            "rows": 7, "accepted": 1, "needs_location": 1, "duplicate": 1,
            "already_present": 1, "refused": 3, "stored": 3, "skipped": 3,
        }  # fmt: skip
        assert preview["dry_run"] and not preview["stored"] and preview["links"] is None

        done = _send(c, "矛盾纠纷台账.xlsx", workbook, dry_run=False, preview=preview["preview"])
        assert done.status_code == 200, done.text
        result = done.json()
        assert result["stored"] and result["preview"] == preview["preview"]
        assert [(r["row"], r["outcome"]) for r in result["rows"]] == [
            (r["row"], r["outcome"]) for r in preview["rows"]
        ]

        stored = query(
            url,
            "SELECT d.id, d.external_id, g.code AS grid, d.duplicate_of, d.reported_at "
            "FROM dispute d LEFT JOIN grid g ON g.id = d.grid_id "
            "WHERE d.external_id LIKE 'JF-UP-%' ORDER BY d.external_id",
        )
        shown = {r["external_id"]: r for r in result["rows"] if r["case_id"] is not None}
        assert {s["external_id"] for s in stored} == {"JF-UP-001", "JF-UP-002", "JF-UP-003"}
        for row in stored:
            assert shown[row["external_id"]]["case_id"] == row["id"]
            assert shown[row["external_id"]]["grid"] == row["grid"]
        first = next(s for s in stored if s["external_id"] == "JF-UP-001")
        second = next(s for s in stored if s["external_id"] == "JF-UP-002")
        assert second["duplicate_of"] == first["id"]
        assert first["reported_at"] == dt.datetime(2026, 11, 6, 6, 20, tzinfo=dt.UTC)
        assert _counts(url)["disputes"] == before["disputes"] + 3
        links = result["links"]
        assert {case["id"] for case in links["cases"]} == {s["id"] for s in stored}

        listed = c.get("/api/v1/disputes", params={"limit": 10_000}).json()["features"]
        listed_ids = {f["properties"]["external_id"] for f in listed}
        assert {"JF-UP-001", "JF-UP-002", "JF-UP-003"} <= listed_ids

        # the same commit again: its outcomes are no longer those previewed, nothing is stored
        again = _send(c, "矛盾纠纷台账.xlsx", workbook, dry_run=False, preview=preview["preview"])
        assert again.status_code == 409 and "重新预览" in again.json()["detail"]
        assert _counts(url)["disputes"] == before["disputes"] + 3


def test_a_gbk_csv_with_chinese_dates_committed_directly(served):
    url, base, users = served
    at = places(url, users["township"].scope_code)
    rows = dispute_rows(at, prefix="JF-CSV")[:3]
    content = ledger_csv_gbk(TITLE, DISPUTE_HEADER, rows)
    with httpx.Client(base_url=base, timeout=180, headers=users["county_centre"].headers) as c:
        answer = _send(c, "台账.csv", content, kind="text/csv")
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert [(r["row"], r["outcome"]) for r in result["rows"]] == [
        (3, "accepted"), (4, "duplicate"), (5, "needs_location"),
    ]  # fmt: skip
    assert [s["kind"] for s in result["skipped"]] == ["title", "totals"]
    stored = query(
        url,
        "SELECT external_id, reported_at, category FROM dispute "
        "WHERE external_id LIKE 'JF-CSV-%' ORDER BY external_id",
    )
    assert [s["external_id"] for s in stored] == ["JF-CSV-001", "JF-CSV-002", "JF-CSV-003"]
    assert stored[2]["reported_at"] == dt.datetime(2026, 11, 7, 1, 30, tzinfo=dt.UTC)
    assert stored[2]["category"] == "marriage_family"


def test_a_township_upload_reaching_outside_its_scope_stores_nothing(served):
    url, base, users = served
    township = users["township"]
    at = places(url, township.scope_code)
    inside = dispute_rows(at, prefix="JF-TS")[0]
    outside = [*inside[:4], at.outside["full_text"], at.outside["lon"], at.outside["lat"],
               "周八", "外乡镇的纠纷"]  # fmt: skip
    outside[0] = "JF-TS-OUT"
    workbook = ledger_xlsx(TITLE, DISPUTE_HEADER, [inside, outside])
    before = _counts(url)
    with httpx.Client(base_url=base, timeout=180, headers=township.headers) as c:
        for dry_run in (True, False):
            refused = _send(c, "乡镇台账.xlsx", workbook, dry_run=dry_run)
            assert refused.status_code == 403, refused.text
            assert "第 4 行" in refused.json()["detail"]
        assert _counts(url) == before
        alone = _send(c, "乡镇台账.xlsx", ledger_xlsx(TITLE, DISPUTE_HEADER, [inside]))
        assert alone.status_code == 200, alone.text
        assert alone.json()["counts"]["stored"] == 1
    assert _counts(url)["disputes"] == before["disputes"] + 1
    for role in ("grid_leader", "partner", "viewer"):
        answer = httpx.post(
            f"{base}{UPLOAD}", files={"file": ("a.xlsx", workbook, XLSX)},
            headers=users[role].headers, timeout=60,
        )  # fmt: skip
        assert answer.status_code == 403, role
    assert _counts(url)["disputes"] == before["disputes"] + 1


def test_files_that_cannot_be_taken_in_are_refused_in_words(served):
    url, base, users = served
    at = places(url, users["township"].scope_code)
    with httpx.Client(base_url=base, timeout=180, headers=users["county_centre"].headers) as c:
        wrong = _send(c, "台账.doc", b"not a ledger", kind="application/msword")
        assert wrong.status_code == 422 and "请上传 .xlsx 或 .csv" in wrong.json()["detail"]
        empty = _send(c, "台账.csv", b"", kind="text/csv")
        assert empty.status_code == 422 and "空" in empty.text
        broken = _send(c, "台账.xlsx", b"PK\x03\x04 truncated workbook")
        assert broken.status_code == 422 and "Traceback" not in broken.text
        assert "xlsx" in broken.json()["detail"] or broken.json()["problems"]
        long_row = dispute_rows(at, prefix="JF-LONG")[0]
        long_row[-1] = "长" * 4_001
        answer = _send(c, "台账.xlsx", ledger_xlsx(TITLE, DISPUTE_HEADER, [long_row]))
        assert answer.status_code == 200, answer.text
        (row,) = answer.json()["rows"]
        assert (row["row"], row["outcome"], row["column"]) == (3, "refused", "简要情况")
        assert "4000" in row["reason"]
    assert (
        query(url, "SELECT count(*) AS n FROM dispute WHERE external_id = 'JF-LONG-001'")[0]["n"]
        == 0
    )
