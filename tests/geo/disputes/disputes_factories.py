"""A small synthetic county for the dispute tests (real Lintan names, invented squares).

Two townships, two villages with one grid each (squares of 0.03°), nine standard addresses
per village, a ten-household group, grid and group leaders, and one facility of each kind
the dispatch rules use. Everything is written into the caller's (rolled-back) session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.disputes import workflow
from geo.disputes.intake import IntakeReport, ingest_frame
from geo.disputes.locate import Locator

COUNTY = "623021"
XINCHENG, YELIGUAN = "623021101", "623021102"
DONGSHAN, CHIGOU = "623021101208", "623021102207"
VILLAGES = {  # code: (township, name, west edge lon)
    DONGSHAN: (XINCHENG, "东山村民委员会", 103.30),
    CHIGOU: (YELIGUAN, "池沟村民委员会", 103.38),
}
SOUTH, SIZE = 34.70, 0.03
TOWNSHIP_NAMES = {XINCHENG: "新城镇", YELIGUAN: "冶力关镇"}
GRID = {DONGSHAN: f"{DONGSHAN}0001", CHIGOU: f"{CHIGOU}0001"}
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@dataclass
class World:
    """What the tests need to refer to."""

    session: Session
    locator: Locator

    def ingest(self, records: list[dict], kind: str = "disputes", **options) -> IntakeReport:
        """Intake of JSON-like records through the real path."""
        options.setdefault("now", NOW)
        return ingest_frame(
            session=self.session,
            frame=pd.DataFrame.from_records(records),
            kind=kind,
            locator=self.locator,
            **options,
        )

    def one(self, **record) -> int:
        """Ingest one dispute and return its id."""
        record.setdefault("reported_at", "2026-11-10 09:00")
        record.setdefault("category", "neighbour")
        report = self.ingest([record])
        assert not report.rejected, report.rejected
        return report.accepted[record["external_id"]]


def walk(
    session: Session,
    dispute_id: int,
    steps: Iterable[str | tuple[str, dict]],
    *,
    actor: str,
    first_version: int = 1,
    **common,
) -> None:
    """Move a case through ``steps`` in turn (each a status or ``(status, extra keywords)``),
    its version counting from ``first_version``; ``common`` keywords go with every step."""
    for version, step in enumerate(steps, start=first_version):
        status, extra = (step, {}) if isinstance(step, str) else step
        workflow.transition(
            session=session,
            dispute_id=dispute_id,
            to=status,
            version=version,
            actor=actor,
            **common,
            **extra,
        )


def noon(reported: str, day: str) -> dt.datetime:
    """Noon UTC of ``day``: a full date, or ``MM-DD`` in the year of ``reported``."""
    text_date = day if len(day) == 10 else f"{reported[:4]}-{day}"
    return dt.datetime.fromisoformat(text_date).replace(hour=12, tzinfo=dt.UTC)


def square(west: float) -> str:
    """A grid square as WKT."""
    e, n = west + SIZE, SOUTH + SIZE
    return f"MULTIPOLYGON((({west} {SOUTH},{e} {SOUTH},{e} {n},{west} {n},{west} {SOUTH})))"


def address_point(village: str, group: int, number: int) -> tuple[float, float]:
    """Where address (group, number) of a village lies."""
    west = VILLAGES[village][2]
    return west + 0.004 * number, SOUTH + 0.006 * group


def _exec(session: Session, statement: str, **params) -> None:
    session.execute(text(statement), params)


def build_world(session: Session) -> World:
    """Write the small county; return the World with a Locator loaded from it."""
    _exec(
        session,
        "INSERT INTO admin_unit (code, level, name, short_name, county_code) "
        "VALUES (:c, 'county', '临潭县', '临潭县', :c)",
        c=COUNTY,
    )
    for code, name in TOWNSHIP_NAMES.items():
        _exec(
            session,
            "INSERT INTO admin_unit (code, level, name, short_name, parent_code, county_code)"
            " VALUES (:code, 'township', :name, :name, :county, :county)",
            code=code, name=name, county=COUNTY,
        )  # fmt: skip
    for code, (township, name, west) in VILLAGES.items():
        _exec(
            session,
            "INSERT INTO admin_unit (code, level, name, short_name, parent_code, county_code)"
            " VALUES (:code, 'village', :name, :name, :township, :county)",
            code=code, name=name, township=township, county=COUNTY,
        )  # fmt: skip
        _exec(
            session,
            "INSERT INTO staff (code, county_code, name, role, unit_code)"
            " VALUES (:s, :county, :n, 'grid_leader', :v)",
            s=f"GL-{code}", county=COUNTY, n=f"网格长{code[-3:]}（模拟）", v=code,
        )  # fmt: skip
        _exec(
            session,
            "INSERT INTO grid (code, name, county_code, township_code, village_code, leader_id,"
            " geom) SELECT :grid, :name, :county, :township, :code, s.id,"
            " ST_GeomFromText(:g, 4326) FROM staff s WHERE s.code = :s",
            grid=GRID[code], name=f"{name}网格", county=COUNTY, township=township, code=code,
            g=square(west), s=f"GL-{code}",
        )  # fmt: skip
        _exec(
            session,
            "INSERT INTO staff_grid (staff_id, grid_id) SELECT s.id, g.id FROM staff s, grid g"
            " WHERE s.code = :s AND g.code = :grid",
            s=f"GL-{code}", grid=GRID[code],
        )  # fmt: skip
    _exec(
        session,
        "INSERT INTO staff (code, county_code, name, role, unit_code)"
        " VALUES ('HL-1', :county, '十户长0001（模拟）', 'household_leader', :v)",
        county=COUNTY, v=CHIGOU,
    )  # fmt: skip
    west = VILLAGES[CHIGOU][2]
    _exec(
        session,
        "INSERT INTO household_group (code, county_code, grid_id, leader_id, households, geom)"
        " SELECT 'HG-1', :county, g.id, s.id, 10,"
        " ST_Multi(ST_MakeEnvelope(:w, :s0, :e, :n, 4326))"
        " FROM grid g, staff s WHERE g.code = :grid AND s.code = 'HL-1'",
        county=COUNTY, w=west, s0=SOUTH, e=west + SIZE, n=SOUTH + 0.009, grid=GRID[CHIGOU],
    )  # fmt: skip
    for code, (township, name, _west) in VILLAGES.items():
        short = name.replace("村民委员会", "村")
        for group in (1, 2, 3):
            for number in (1, 2, 3):
                lon, lat = address_point(code, group, number)
                _exec(
                    session,
                    "INSERT INTO address (code, county_code, township_code, village_code,"
                    " full_text, group_no, grid_id, household_group_id, geom)"
                    " SELECT :code, :county, :township, :village, :full, :group, g.id,"
                    " (SELECT h.id FROM household_group h WHERE h.grid_id = g.id"
                    "   AND ST_Covers(h.geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))),"
                    " ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) FROM grid g WHERE g.code = :grid",
                    code=f"{code}-{group}-{number}", county=COUNTY, township=township,
                    village=code, grid=GRID[code], group=group, lon=lon, lat=lat,
                    full=f"临潭县{TOWNSHIP_NAMES[township]}{short}{group}组{number}号",
                )  # fmt: skip
    facilities = [
        ("cc", "county_centre", "临潭县综治中心", COUNTY, 103.34, 34.715),
        ("tc-x", "township_centre", "新城镇综治中心", XINCHENG, 103.31, 34.705),
        ("tc-y", "township_centre", "冶力关镇综治中心", YELIGUAN, 103.39, 34.705),
        ("vc-d", "village_centre", "东山村综治中心", DONGSHAN, 103.315, 34.725),
        ("vc-c", "village_centre", "池沟村综治中心", CHIGOU, 103.395, 34.725),
        ("ps-y", "police_station", "冶力关派出所", YELIGUAN, 103.40, 34.71),
        ("cs-y", "court_station", "冶力关审务工作站", YELIGUAN, 103.40, 34.712),
        ("jc-d", "judge_contact_point", "东山村法官联系点", DONGSHAN, 103.316, 34.726),
        ("jo-y", "judicial_office", "冶力关司法所", YELIGUAN, 103.401, 34.711),
        ("mc-c", "mediation_committee", "池沟村调委会", CHIGOU, 103.396, 34.726),
        ("mc-x", "mediation_committee", "新城镇调委会", XINCHENG, 103.311, 34.706),
        ("la-x", "legal_adviser", "新城镇法律顾问", XINCHENG, 103.312, 34.707),
    ]
    for code, kind, name, admin, lon, lat in facilities:
        _exec(
            session,
            "INSERT INTO facility (code, county_code, kind, name, admin_code, geom)"
            " VALUES (:code, :county, :kind, :name, :admin,"
            " ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))",
            code=code, county=COUNTY, kind=kind, name=name, admin=admin, lon=lon, lat=lat,
        )  # fmt: skip
    return World(session=session, locator=Locator.load(session=session))
