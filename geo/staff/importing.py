"""Import of the "8+" forces from an Excel sheet (``wangge staff import FILE.xlsx``).

The sheet (.xlsx, or a CSV) is read by :func:`geo.files.read_table`: title rows above the
header, totals rows and a 填报人/审核人 footer are dropped and rows keep the numbers the
spreadsheet shows. The header names these columns:

=============  ========  ===============================================================
header         needed    content
=============  ========  ===============================================================
姓名           yes       the person's name
类别 / 身份    yes       role: 州级干部, 县级干部, 党代表, 人大代表, 政协委员, 村两委成员
                         (村两委), 民兵, 网格长 (网格员), 十户长 (联户长), or the English key
单位           yes       county/township/village code, or its name (全称 or 简称)
联系电话       no        mobile (11 digits, 1…) or landline (0xx-xxxxxxx)
网格编码       no        grid codes the person serves, separated by , ， ; 、 or spaces
联防组编码     no        the ten-household group a household leader leads
人员编码       no        a stable code; without it the code is derived from name, unit and
                         phone, so importing the same sheet twice changes nothing
身份证号       no        18-character identity number (restricted like the phone)
=============  ========  ===============================================================

Every row is checked and every problem reported with its spreadsheet row and header; if
there is any, nothing is written (all-or-nothing, :class:`core.errors.ImportRejected`).
Otherwise, in the caller's transaction: people are inserted or updated by code, their
contacts stored in the restricted table, their grids replaced by those in the sheet, a grid
leader becomes the leader of their (first) grid and a household leader of their group.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from core import vocab
from core.errors import ImportRejected, RowProblem
from geo.database.sqlfiles import sql
from geo.files import cell_text, normalise_header, read_table
from geo.places.counties import which_county

HEADERS = {
    "name": ("姓名",),
    "role": ("类别/身份", "类别", "身份", "人员类别"),
    "unit": ("单位", "所在单位"),
    "phone": ("联系电话", "电话", "手机"),
    "grids": ("网格编码", "网格"),
    "group": ("联防组编码", "联防组"),
    "code": ("人员编码", "编码"),
    "id_number": ("身份证号", "身份证号码"),
}
REQUIRED = ("name", "role", "unit")
ROLE_ALIASES = {
    **{label: key for key, label in vocab.STAFF_ROLES.items()},
    **{key: key for key in vocab.STAFF_ROLES},
    "州级领导": "prefecture_cadre",
    "县级领导": "county_cadre",
    "党代会代表": "party_delegate",
    "人大代表（县）": "npc_deputy",
    "村两委": "village_committee",
    "村“两委”成员": "village_committee",
    "民兵骨干": "militia",
    "网格员": "grid_leader",
    "联户长": "household_leader",
}
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|000\d{8})$")
ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
SPLIT = re.compile(r"[,，;；、\s]+")
MAX_ROWS = 50_000


@dataclass
class StaffRow:
    """One valid row, ready to write."""

    row: int
    code: str
    name: str
    role: str
    unit_code: str
    phone: str | None
    id_number: str | None
    grids: list[str] = field(default_factory=list)
    group: str | None = None


def read_sheet(path: Path) -> tuple[int | None, dict[str, int], list[tuple[int, list]]]:
    """(header row number, field → column index, [(row number, cells)]) of the first sheet."""
    sheet = read_table(path, known=[name for names in HEADERS.values() for name in names])
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        accepted = {normalise_header(name) for name in names}
        for index, header in enumerate(sheet.headers):
            if normalise_header(header) in accepted and key not in columns:
                columns[key] = index
    return sheet.header_row, columns, list(zip(sheet.rows, sheet.records, strict=True))


def _default_code(county: str, name: str, unit: str, phone: str | None) -> str:
    digest = hashlib.sha1(f"{name}|{unit}|{phone or ''}".encode()).hexdigest()[:10]
    return f"{county}-X{digest}"


def _reference(session: Session, county: str) -> dict:
    units = session.execute(sql("staff_import_units"), {"county": county}).mappings().all()
    by_name: dict[str, list[str]] = {}
    for u in units:
        for label in {u["name"], u["short_name"]}:
            if label:
                by_name.setdefault(label, []).append(u["code"])
    grids = dict(session.execute(sql("staff_import_grids"), {"county": county}).all())
    groups = dict(session.execute(sql("staff_import_groups"), {"county": county}).all())
    return {"codes": {u["code"] for u in units}, "by_name": by_name, "grids": grids,
            "groups": groups}  # fmt: skip


def check_rows(
    *,
    session: Session,
    county: str,
    columns: dict[str, int],
    body: list[tuple[int, list]],
    header_row: int | None = None,
) -> tuple[list[StaffRow], list[RowProblem]]:
    """Validate every row; return the good rows and every problem (row, header, reason).

    ``header_row`` is the header's row in the sheet, named when a column is missing.
    """
    ref = _reference(session, county)
    problems: list[RowProblem] = []
    header_of = {key: HEADERS[key][0] for key in HEADERS}
    header_of["role"] = "类别/身份"
    for key in REQUIRED:
        if key not in columns:
            problems.append(RowProblem(header_row, header_of[key], "缺少此列 / column missing"))
    if problems:
        return [], problems
    if len(body) > MAX_ROWS:
        return [], [
            RowProblem(
                None,
                None,
                f"超过 {MAX_ROWS} 行，请拆分文件 / more than {MAX_ROWS} rows: split the file",
            )
        ]
    good: list[StaffRow] = []
    seen_codes: dict[str, int] = {}
    grid_leader_of: dict[str, int] = {}
    group_leader_of: dict[str, int] = {}

    def cell(cells: list, key: str):
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    for number, cells in body:
        bad = len(problems)

        def problem(key: str, reason: str, number=number) -> None:
            problems.append(RowProblem(number, header_of[key], reason))

        name = cell_text(cell(cells, "name"))
        if not name:
            problem("name", "为空 / empty")
        elif len(name) > 50:
            problem("name", "超过 50 个字 / longer than 50 characters")
        role_text = (cell_text(cell(cells, "role")) or "").replace(" ", "")
        role = ROLE_ALIASES.get(role_text)
        if role is None:
            problem("role", f"未知类别 / unknown role {role_text!r}; use one of "
                            + "、".join(vocab.STAFF_ROLES.values()))  # fmt: skip
        unit_text = cell_text(cell(cells, "unit"))
        unit = None
        if not unit_text:
            problem("unit", "为空 / empty")
        elif unit_text in ref["codes"]:
            unit = unit_text
        elif len(ref["by_name"].get(unit_text, [])) == 1:
            unit = ref["by_name"][unit_text][0]
        elif unit_text in ref["by_name"]:
            problem(
                "unit", f"重名单位，请填编码 / {unit_text!r} names several units; give the code"
            )
        else:
            problem("unit", f"本县无此单位 / no unit {unit_text!r} in county {county}")
        raw_phone = cell(cells, "phone")
        phone = cell_text(raw_phone)
        if phone is not None:
            phone = phone.replace(" ", "")
            if not PHONE.match(phone):
                problem(
                    "phone",
                    f"号码无效 / {phone!r} is not a mobile (1xxxxxxxxxx) or landline number",
                )
        id_number = cell_text(cell(cells, "id_number"))
        if id_number is not None and not ID_NUMBER.match(id_number):
            problem(
                "id_number",
                "身份证号应为 18 位 / an identity number has 18 characters (17 digits + digit/X)",
            )
        grids: list[str] = []
        raw_grids = cell(cells, "grids")
        if isinstance(raw_grids, float) and not raw_grids.is_integer():
            problem("grids", "网格编码请存为文本 / store grid codes as text")
        for code in SPLIT.split(cell_text(raw_grids) or ""):
            if not code:
                continue
            if code not in ref["grids"]:
                problem("grids", f"无此网格 / no current grid {code!r}")
            elif code not in grids:
                grids.append(code)
        group = cell_text(cell(cells, "group"))
        if group is not None:
            if group not in ref["groups"]:
                problem("group", f"无此联防组 / no current ten-household group {group!r}")
            elif role is not None and role != "household_leader":
                problem(
                    "group", "只有十户长带联防组 / only a household leader (十户长) leads a group"
                )
            else:
                group_grid = ref["groups"][group]
                if group_grid not in grids:
                    grids.append(group_grid)
                if group in group_leader_of:
                    problem(
                        "group",
                        f"联防组已有十户长（第 {group_leader_of[group]} 行）/ "
                        f"group {group} also led in row {group_leader_of[group]}",
                    )
                group_leader_of.setdefault(group, number)
        if role == "household_leader" and group is None:
            problem(
                "group",
                "十户长须填联防组编码 / a household leader (十户长) needs the group (联防组编码)",
            )
        if role == "grid_leader":
            if not grids:
                problem(
                    "grids", "网格长须填网格编码 / a grid leader (网格长) needs the grid (网格编码)"
                )
            elif grids[0] in grid_leader_of:
                problem("grids", f"网格已有网格长 / grid {grids[0]} also has a leader in row "
                                 f"{grid_leader_of[grids[0]]}")  # fmt: skip
            else:
                grid_leader_of[grids[0]] = number
        code = cell_text(cell(cells, "code"))
        if code is None and name and unit:
            code = _default_code(county, name, unit, phone)
        if code is not None:
            if code in seen_codes:
                problem(
                    "code",
                    f"与第 {seen_codes[code]} 行是同一人 / "
                    f"the same person as row {seen_codes[code]}",
                )
            seen_codes.setdefault(code, number)
        if len(problems) == bad:
            good.append(StaffRow(number, code, name, role, unit, phone, id_number, grids, group))
    return good, problems


def write_rows(*, session: Session, county: str, rows: list[StaffRow]) -> dict[str, int]:
    """Insert or update the checked rows in the caller's transaction; return counts."""
    counts = {"rows": len(rows), "inserted": 0, "updated": 0, "grid_leaders": 0,
              "group_leaders": 0, "grid_links": 0}  # fmt: skip
    for r in rows:
        staff_id, inserted = session.execute(
            sql("staff_import_upsert"),
            {"code": r.code, "county": county, "name": r.name, "role": r.role,
             "unit": r.unit_code},
        ).one()  # fmt: skip
        counts["inserted" if inserted else "updated"] += 1
        session.execute(
            sql("staff_import_contact"),
            {"id": staff_id, "phone": r.phone, "id_number": r.id_number},
        )
        session.execute(sql("staff_import_clear_grids"), {"id": staff_id})
        for grid in r.grids:
            session.execute(sql("staff_import_link_grid"), {"id": staff_id, "grid": grid})
            counts["grid_links"] += 1
        if r.role == "grid_leader":
            session.execute(sql("staff_import_grid_leader"), {"id": staff_id, "grid": r.grids[0]})
            counts["grid_leaders"] += 1
        if r.role == "household_leader" and r.group:
            session.execute(sql("staff_import_group_leader"), {"id": staff_id, "group": r.group})
            counts["group_leaders"] += 1
    return counts


def import_staff(*, session: Session, path: Path, county: str | None = None) -> dict[str, int]:
    """Check and write a staff sheet (all-or-nothing); raise ImportRejected listing problems."""
    county = county or which_county(session=session)
    header_row, columns, body = read_sheet(path)
    rows, problems = check_rows(
        session=session, county=county, columns=columns, body=body, header_row=header_row
    )
    if problems:
        raise ImportRejected(source=path.name, problems=problems)
    return write_rows(session=session, county=county, rows=rows)
