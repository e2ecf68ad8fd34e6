"""Issue 15 item 6: a risk-signal ledger uploaded as a GBK CSV (``POST /api/v1/signals/upload``),
previewed, then committed, over real HTTP on a private copy of the demo county."""

from __future__ import annotations

import httpx

from tests.api.upload_files import HOSTILE, SIGNAL_HEADER, ledger_csv_gbk, places, query

UPLOAD = "/api/v1/signals/upload"


def _signals(url: str) -> int:
    return query(url, "SELECT count(*) AS n FROM signal")[0]["n"]


def test_a_gbk_signal_ledger_previewed_then_committed(fresh_demo_url, start_server, role_users):
    url = fresh_demo_url
    users = role_users(url)
    base = start_server(url)
    township = users["township"]
    at = places(url, township.scope_code)
    q = at.quiet
    rows = [
        [
            "SG-UP-001",
            "2026年11月6日 14:20",
            "安全隐患",
            q["full_text"],
            q["lon"],
            q["lat"],
            "危房",
        ],
        ["SG-UP-002", "2026年11月6日", "治安事件", None, None, None, "无地点"],
        ["SG-UP-003", "2026/11/7 8:00", HOSTILE, q["full_text"], q["lon"], q["lat"], HOSTILE],
        ["SG-UP-004", "2026年13月40日", "信访", q["full_text"], q["lon"], q["lat"], "日期有误"],
    ]
    content = ledger_csv_gbk("临潭县风险信号登记表", SIGNAL_HEADER, rows)
    before = _signals(url)
    with httpx.Client(base_url=base, timeout=180, headers=township.headers) as c:
        preview = c.post(
            UPLOAD, files={"file": ("风险信号.csv", content, "text/csv")}, data={"dry_run": "true"}
        )
        assert preview.status_code == 200, preview.text
        shown = preview.json()
        assert _signals(url) == before
        outcomes = {r["row"]: (r["outcome"], r["column"]) for r in shown["rows"]}
        assert outcomes == {
            3: ("accepted", None),
            4: ("refused", "发生地点"),
            5: ("refused", "类型"),
            6: ("refused", "发现时间"),
        }
        assert HOSTILE in shown["rows"][2]["reason"]
        assert shown["rows"][0]["grid"] == q["grid"]
        done = c.post(
            UPLOAD,
            files={"file": ("风险信号.csv", content, "text/csv")},
            data={"dry_run": "false", "preview": shown["preview"]},
        )
        assert done.status_code == 200, done.text
        assert done.json()["counts"]["stored"] == 1
    stored = query(url, "SELECT external_id FROM signal WHERE external_id LIKE 'SG-UP-%'")
    assert [s["external_id"] for s in stored] == ["SG-UP-001"]
    assert _signals(url) == before + 1
