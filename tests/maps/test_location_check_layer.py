"""位置待核实 and conflict flags on the open-cases layer: popup words and a marker of its own."""

from __future__ import annotations

from maps.features import location_note
from maps.payloads import disputes_payload
from maps.styles import UNVERIFIED_COLOUR, UNVERIFIED_GLYPH, UNVERIFIED_LABEL
from tests.maps import factories as f

GPS_CONFLICT = {
    "unverified": True,
    "status": "位置待核实",
    "conflicts": [
        {
            "kind": "gps",
            "message": "文字写的是池沟村，GPS 位于东山村，相距约 7300 米（按 GPS 定位） / the text "
            "names 池沟村, the GPS fix lies in 东山村, about 7300 m apart (placed by GPS)",
            "named": "池沟村",
            "matched": "东山村",
            "distance_m": 7300,
        }
    ],
}


def _cases():
    frame = f.disputes()
    frame["grid_code"] = ["G-1", "G-2", None, "G-4", None]
    frame["location_check"] = [None, GPS_CONFLICT, {"status": "位置待核实"}, None, None]
    frame["location_unit_name"] = [None, None, "东山村民委员会", None, None]
    return frame


def test_unverified_cases_get_words_a_glyph_and_a_ring_of_their_own():
    payload = disputes_payload(_cases(), now=f.NOW)
    cases = {feat["properties"]["case"]: feat["properties"] for feat in payload["features"]}
    plain, conflict, routed = cases["D-001"], cases["D-002"], cases["D-003"]
    assert plain["location_status"] is None and plain["unverified"] is False
    assert plain["glyph"] == ""

    assert conflict["location_status"] == UNVERIFIED_LABEL and conflict["unverified"]
    assert conflict["location_flags"][0].startswith("地址与 GPS 位置不符 text and GPS disagree：")
    assert "池沟村" in conflict["location_flags"][0] and "gps" not in conflict["location_flags"][0]
    assert conflict["glyph"] == "!"  # overdue wins the glyph; the ring still marks it

    assert routed["unverified"] and routed["glyph"] == UNVERIFIED_GLYPH
    assert routed["location_unit"] == "东山村民委员会" and routed["location_flags"] == []
    assert routed["title"].endswith(UNVERIFIED_LABEL)

    legend = payload["wangge"]["legend"][-1]
    assert legend == {"colour": UNVERIFIED_COLOUR, "label": f"{UNVERIFIED_LABEL} (2)",
                      "shape": "line"}  # fmt: skip


def test_frames_without_the_location_columns_mark_nothing():
    payload = disputes_payload(f.disputes(), now=f.NOW)
    assert not any(feat["properties"]["unverified"] for feat in payload["features"])
    assert UNVERIFIED_LABEL not in " ".join(e["label"] for e in payload["wangge"]["legend"])


def test_an_admin_conflict_reads_in_words_and_unknown_kinds_do_not_leak_codes():
    note = location_note(
        {"conflicts": [{"kind": "admin", "message": None}, {"kind": "other_code"}]},
        has_grid=False,
        unit_name="新城镇",
    )
    assert note == {
        "location_status": UNVERIFIED_LABEL,
        "location_flags": [
            "地址与所属乡镇不符 text names another township",
            "位置冲突 location conflict",
        ],
        "location_unit": "新城镇",
    }
    assert location_note(None, has_grid=True)["location_status"] is None
