"""Check and convert the attribute values of each kind: codes, levels, parents, counts, kinds.

Each ``build_*`` returns one dict per record (None where the record is refused) and appends
every problem it finds, so the user sees all of them at once, not the first only.
"""

from __future__ import annotations

from collections.abc import Callable

from core import numerals, vocab
from core.errors import RowProblem
from geo.places.kinds import closest_kinds, load_kinds, poi_kind
from geo.places.reading import SourceTable, looks_scientific

LEVEL_NAMES = {
    "county": "county", "县": "county", "县级": "county", "区": "county", "县(区)": "county",
    "县区": "county", "县级市": "county", "市辖区": "county",
    "township": "township", "乡镇": "township", "乡": "township", "镇": "township",
    "街道": "township", "乡级": "township", "乡镇(街道)": "township", "乡镇街道": "township",
    "village": "village", "村": "village", "社区": "village", "村级": "village",
    "村(社区)": "village", "村社区": "village", "居委会": "village", "村委会": "village",
}  # fmt: skip
CODE_LENGTH = {"county": 6, "township": 9, "village": 12}
LEVEL_OF_LENGTH = {6: "county", 9: "township", 12: "village"}
LEVEL_LABEL = {"county": "县", "township": "乡镇", "village": "村/社区"}

FACILITY_NAMES = {key: key for key in vocab.FACILITY_KINDS}
FACILITY_NAMES.update({label: key for key, label in vocab.FACILITY_KINDS.items()})
FACILITY_NAMES.update(
    {
        "综治中心": "village_centre", "县级综治中心": "county_centre",
        "乡镇综治中心": "township_centre", "村综治中心": "village_centre",
        "社区综治中心": "village_centre", "公安派出所": "police_station",
        "法庭": "court_station", "人民法庭": "court_station", "审务站": "court_station",
        "法官工作站": "judge_contact_point", "调解委员会": "mediation_committee",
        "人民调解委员会": "mediation_committee", "调委会": "mediation_committee",
    }
)  # fmt: skip

GROUP_UNITS = ("组", "社", "队", "村民小组", "小组")


def _code(text: str | None, row: int, label: str, problems: list[RowProblem]) -> str | None:
    if text is None:
        problems.append(RowProblem(row, label, "编码为空 / empty: every row needs a code"))
        return None
    if looks_scientific(text):
        problems.append(
            RowProblem(row, label, f"'{text}' 是被表格改成科学计数法的编码，"
                       "请把该列设为文本并输入完整编码 / "
                       f"'{text}' is a code mangled into scientific notation by a "
                       "spreadsheet: format the column as text and type the full code")
        )  # fmt: skip
        return None
    return text


def _whole(text: str | None, row: int, label: str, problems: list[RowProblem]) -> int | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(
            RowProblem(row, label, f"'{text}' 不是整数 / '{text}' is not a whole number")
        )
        return None
    if not value.is_integer() or value < 0:
        problems.append(
            RowProblem(row, label, f"'{text}' 不是 ≥ 0 的整数 / '{text}' is not a whole number ≥ 0")
        )
        return None
    return int(value)


def _duplicates(codes: list[str | None], rows: list[int], label: str, problems) -> set[int]:
    first: dict[str, int] = {}
    doubled: set[int] = set()
    for index, code in enumerate(codes):
        if code is None:
            continue
        if code in first:
            problems.append(
                RowProblem(rows[index], label, f"编码 {code} 在文件中重复"
                           f"（首次在第 {rows[first[code]]} 行）/ "
                           f"code {code} appears twice in the file (first "
                           f"on row {rows[first[code]]})")
            )  # fmt: skip
            doubled.add(index)
        else:
            first[code] = index
    return doubled


def short_name_of(name: str) -> str:
    """村民委员会 / 居民委员会 names shortened to the village or community name."""
    for suffix, unit in (("村民委员会", "村"), ("居民委员会", "社区")):
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            return base if base.endswith(unit) else base + unit
    return name


def build_admin_units(
    table: SourceTable, *, known: dict[str, dict], problems: list[RowProblem]
) -> list[dict | None]:
    """Admin unit records; ``known`` maps the database's codes to their level."""
    label = table.columns.label

    def build_row(i: int, row: int) -> tuple[str | None, dict | None]:
        start = len(problems)
        code = _code(table.value("code", i), row, label("code"), problems)
        level_text = table.value("level", i)
        level = None
        if level_text is not None:
            level = LEVEL_NAMES.get(level_text.strip().lower())
            if level is None:
                problems.append(
                    RowProblem(row, label("level"), f"unknown level '{level_text}' (use county/"
                               "township/village or 县/乡镇/村)")
                )  # fmt: skip
        if code is not None and not code.isdigit():
            problems.append(
                RowProblem(
                    row, label("code"), f"'{code}' 只能是数字 / '{code}' must be digits only"
                )
            )
            code = None
        if code is not None:
            # Codes padded to 12 digits, as the statistics bureau also publishes them.
            if len(code) == 12 and code.endswith("000000") and level in (None, "county"):
                code = code[:6]
            elif len(code) == 12 and code.endswith("000") and level in (None, "township"):
                code = code[:9]
            by_length = LEVEL_OF_LENGTH.get(len(code))
            if level is None:
                level = by_length
            if by_length is None or by_length != level:
                want = CODE_LENGTH.get(level or "")
                detail = f"a {level} code has {want} digits" if want else "use 6, 9 or 12 digits"
                problems.append(
                    RowProblem(row, label("code"), f"'{code}' 有 {len(code)} 位："
                               "县 6 位、乡镇 9 位、"
                               f"村/社区 12 位 / '{code}' has {len(code)} digits: {detail} "
                               "(county 6, township 9, village/community 12)")
                )  # fmt: skip
        name = table.value("name", i)
        if name is None:
            problems.append(
                RowProblem(row, label("name"), "名称为空 / empty: every unit needs a name")
            )
        parent = table.value("parent_code", i)
        if parent is not None and len(parent) == 12 and parent.endswith("000"):
            parent = parent[:6] if parent.endswith("000000") else parent[:9]
        if code is not None and level in ("township", "village"):
            expected = code[:9] if level == "village" else code[:6]
            if parent is None:
                parent = expected
            elif parent != expected:
                problems.append(
                    RowProblem(row, label("parent_code"), f"上级编码 {parent} 与编码 {code} 不符，"
                               f"编码应以上级编码 {expected} 开头 / "
                               f"parent {parent} does not match code "
                               f"{code}: a {level}'s code starts with its parent's code "
                               f"{expected}")
                )  # fmt: skip
        if level == "county":
            parent = None  # prefectures and provinces are not kept
        if len(problems) > start:
            return code, None
        return code, {
            "code": code,
            "level": level,
            "parent_code": parent,
            "name": name,
            "short_name": table.value("short_name", i) or short_name_of(name),
            "county_code": code[:6],
        }

    records = _coded_records(table, problems, build_row)
    in_file = {r["code"]: r["level"] for r in records if r}
    parent_level = {"township": "county", "village": "township"}
    for i, record in enumerate(records):
        if record is None or record["parent_code"] is None:
            continue
        parent = record["parent_code"]
        found = in_file.get(parent) or known.get(parent, {}).get("level")
        if found is None:
            problems.append(
                RowProblem(table.rows[i], label("parent_code"), f"上级 {parent} "
                           "既不在文件中也不在库中，请先导入或"
                           f"加入文件 / parent {parent} is neither in "
                           "the file nor in the database: load it first or add it to the file")
            )  # fmt: skip
            records[i] = None
        elif found != parent_level[record["level"]]:
            problems.append(
                RowProblem(table.rows[i], label("parent_code"), f"上级 {parent} 的级别不对 / "
                           f"parent {parent} is a {found}, "
                           f"not a {parent_level[record['level']]}")
            )  # fmt: skip
            records[i] = None
    return records


def build_grids(
    table: SourceTable, *, known: dict[str, dict], problems: list[RowProblem]
) -> list[dict | None]:
    """Grid records: code = village code (12 digits) + a sequence of 1–4 digits."""
    label = table.columns.label

    def build_row(i: int, row: int) -> tuple[str | None, dict | None]:
        start = len(problems)
        code = _code(table.value("code", i), row, label("code"), problems)
        if code is not None and (not code.isdigit() or not 13 <= len(code) <= 16):
            problems.append(
                RowProblem(row, label("code"), f"'{code}'：网格编码应为 12 位村编码加顺序号"
                           "（如 623021100002001）/ "
                           f"'{code}': a grid code is the 12-digit village "
                           "code followed by a sequence number (e.g. 623021100002001)")
            )  # fmt: skip
            code = None
        village = table.value("village_code", i)
        if code is not None:
            if village is None:
                village = code[:12]
            elif code[:12] != village:
                problems.append(
                    RowProblem(row, label("code"), f"网格编码 {code} 不以其村编码 {village} 开头 / "
                               f"grid code {code} does not start with its "
                               f"village code {village}")
                )  # fmt: skip
        if village is not None:
            unit = known.get(village)
            if unit is None or unit["level"] != "village":
                problems.append(
                    RowProblem(row, label("village_code") if "village_code" in table.values
                               else label("code"), f"村 {village} 不在库中，请先导入行政区划 / "
                               f"village {village} is not in the database: "
                               "load the admin units first (wangge load admin-units)")
                )  # fmt: skip
        households = _whole(table.value("households", i), row, label("households"), problems)
        population = _whole(table.value("population", i), row, label("population"), problems)
        if len(problems) > start:
            return code, None
        unit = known[village]
        return code, {
            "code": code,
            "name": table.value("name", i) or f"{unit['short_name']}第{int(code[12:])}网格",
            "county_code": code[:6],
            "township_code": unit["parent_code"],
            "village_code": village,
            "households": households,
            "population": population,
        }

    return _coded_records(table, problems, build_row)


def _unit_code(
    table: SourceTable, field: str, i: int, known: dict[str, dict], problems, levels: tuple
) -> str | None:
    value = table.value(field, i)
    if value is None:
        return None
    unit = known.get(value)
    if unit is None or unit["level"] not in levels:
        problems.append(
            RowProblem(table.rows[i], table.columns.label(field), f"{value} "
                       "不是库中已有的区划编码，请先导入行政区划 / "
                       f"{value} is not a known "
                       f"{' or '.join(levels)} code: load the admin units first")
        )  # fmt: skip
    return value


def _coded_records(
    table: SourceTable,
    problems: list[RowProblem],
    build_row: Callable[[int, int], tuple[str | None, dict | None]],
) -> list[dict | None]:
    """One record per row from ``build_row`` (the row's code and its record, None where
    refused); a code seen again later in the file refuses that later row too."""
    codes: list[str | None] = []
    records: list[dict | None] = []
    for i, row in enumerate(table.rows):
        code, record = build_row(i, row)
        codes.append(code)
        records.append(record)
    for index in _duplicates(codes, table.rows, table.columns.label("code"), problems):
        records[index] = None
    return records


def _point_records(
    table: SourceTable, problems: list[RowProblem], build: Callable[[int, int], dict | None]
) -> list[dict | None]:
    label = table.columns.label

    def build_row(i: int, row: int) -> tuple[str | None, dict | None]:
        start = len(problems)
        code = _code(table.value("code", i), row, label("code"), problems)
        record = build(i, row)
        if len(problems) > start or record is None:
            return code, None
        record["code"] = code
        return code, record

    return _coded_records(table, problems, build_row)


def build_addresses(
    table: SourceTable, *, known: dict[str, dict], problems: list[RowProblem]
) -> list[dict | None]:
    """Address records (the county, village and grid come later, from the point if missing)."""
    label = table.columns.label

    def build(i: int, row: int) -> dict | None:
        full_text = table.value("full_text", i)
        if full_text is None:
            problems.append(
                RowProblem(row, label("full_text"), "标准地址为空 / empty: the address text")
            )
        group_text = table.value("group_no", i)
        group_no = None
        if group_text is not None:
            group_no = numerals.numbered(group_text, GROUP_UNITS)
            if group_no is None:
                problems.append(
                    RowProblem(row, label("group_no"), f"'{group_text}' 不是组号，可写 3、3组、"
                               f"三组或第三组 / not a group number: write 3, 3组, 三组 or 第三组")
                )  # fmt: skip
        record = {
            "full_text": full_text,
            "village_code": _unit_code(table, "village_code", i, known, problems, ("village",)),
            "group_no": group_no,
            "houses": _whole(table.value("houses", i), row, label("houses"), problems),
            "residents": _whole(table.value("residents", i), row, label("residents"), problems),
        }
        for name in ("township", "village", "road", "number", "building"):
            record[name] = table.value(name, i)
        return record

    return _point_records(table, problems, build)


def build_facilities(
    table: SourceTable,
    *,
    known: dict[str, dict],
    problems: list[RowProblem],
    kinds: list[tuple[str, str]] | None = None,
) -> list[dict | None]:
    """Facility records: the kind in English or Chinese (see core.vocab.FACILITY_KINDS), or
    a web map's type path mapped through the kinds table (:mod:`geo.places.kinds`)."""
    label = table.columns.label
    kinds = kinds if kinds is not None else load_kinds()

    def build(i: int, row: int) -> dict | None:
        name = table.value("name", i)
        if name is None:
            problems.append(
                RowProblem(row, label("name"), "名称为空 / empty: every facility needs a name")
            )
        kind_text = (table.value("kind", i) or "").strip()
        kind = FACILITY_NAMES.get(kind_text.lower()) or FACILITY_NAMES.get(kind_text)
        if kind is None and kind_text:
            kind = poi_kind(kind_text, name, kinds)
        if kind is None:
            closest = closest_kinds(kind_text, kinds) if kind_text else []
            near = f"最接近的：{'、'.join(closest)}；" if closest else ""
            near_en = f"closest known: {', '.join(closest)}; " if closest else ""
            accepted = ", ".join(f"{k} ({v})" for k, v in vocab.FACILITY_KINDS.items())
            problems.append(
                RowProblem(row, label("kind"), f"未知的设施类型 '{kind_text}'，{near}"
                           "可在类型对照表 poi_kinds.csv（或 --kinds）加一行 / "
                           f"unknown kind '{kind_text}'; "
                           f"{near_en}accepted: {accepted}, or a keyword of the kinds table")
            )  # fmt: skip
        admin = _unit_code(
            table, "admin_code", i, known, problems, ("county", "township", "village")
        )
        return {"name": name, "kind": kind, "admin_code": admin}

    return _point_records(table, problems, build)


BUILDERS = {
    "admin-units": build_admin_units,
    "grids": build_grids,
    "addresses": build_addresses,
    "facilities": build_facilities,
}
