"""Accepted column names, in English and in the Chinese a county office uses.

A header is matched after normalising it: lower case, spaces, underscores, hyphens and
dots removed, full-width brackets made half-width. ``docs/loading.md`` lists these tables;
keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import RowProblem
from geo.files import normalise_header

# Geometry columns, shared by every kind.
GEOMETRY_ALIASES: dict[str, tuple[str, ...]] = {
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "x",
        "经度",
        "东经",
        "gps经度",
        "坐标x",
        "x坐标",
        "东坐标",
        "横坐标",
        "easting",
        "东向坐标",
    ),
    "lat": (
        "lat",
        "latitude",
        "y",
        "纬度",
        "北纬",
        "gps纬度",
        "坐标y",
        "y坐标",
        "北坐标",
        "纵坐标",
        "northing",
        "北向坐标",
    ),
    # A web map's POI export: "lon,lat" in one cell (Amap, Tencent; GCJ-02).
    "location": ("location", "经纬度", "经纬度坐标", "lnglat", "lonlat", "gcj02坐标"),
    "wkt": ("wkt", "geometry", "geom", "thegeom", "shape", "几何", "空间信息", "坐标串"),
}

KIND_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "admin-units": {
        "code": ("code", "adcode", "编码", "代码", "区划代码", "行政区划代码", "统计用区划代码",
                 "单位编码", "区划编码"),
        "name": ("name", "名称", "单位名称", "区划名称", "名字"),
        "level": ("level", "级别", "层级", "等级", "行政级别"),
        "parent_code": ("parentcode", "parent", "上级编码", "上级代码", "上级区划代码",
                        "父级编码", "所属上级编码"),
        "short_name": ("shortname", "简称"),
    },
    "grids": {
        "code": ("code", "gridcode", "编码", "代码", "网格编码", "网格代码"),
        "name": ("name", "gridname", "名称", "网格名称", "网格名"),
        "village_code": ("villagecode", "village", "村编码", "村代码", "村(社区)编码",
                         "村社区编码", "社区编码", "所属村编码", "所属村(社区)编码"),
        "households": ("households", "户数", "总户数", "住户数"),
        "population": ("population", "人口", "人口数", "人数", "总人口", "常住人口"),
    },
    "addresses": {
        "code": ("code", "addresscode", "编码", "代码", "地址编码", "标准地址编码", "门牌编码"),
        "full_text": ("address", "fulltext", "地址", "详细地址", "标准地址", "地址全称",
                      "标准地址名称"),
        "village_code": ("villagecode", "村编码", "村代码", "村(社区)编码", "村社区编码",
                         "所属村编码"),
        "township": ("township", "乡镇", "乡镇(街道)", "乡镇街道", "街道"),
        "village": ("village", "村", "村(社区)", "村社区", "社区", "村名"),
        "group_no": ("group", "groupno", "组", "村民小组", "社", "小组"),
        "road": ("road", "street", "路", "道路", "街路巷", "路街巷"),
        "number": ("number", "houseno", "门牌号", "门牌", "号"),
        "building": ("building", "楼栋", "楼号", "楼栋号"),
        "houses": ("houses", "户数", "房屋数", "住房数", "房屋"),
        "residents": ("residents", "population", "人口", "人口数", "居住人口", "人数"),
    },
    "facilities": {
        "code": ("code", "编码", "代码", "设施编码", "机构编码", "id", "poiid", "uid"),
        "name": ("name", "名称", "设施名称", "机构名称", "单位名称"),
        "kind": ("kind", "type", "category", "类型", "类别", "设施类型", "机构类型", "poi类型",
                 "tag", "分类"),
        "admin_code": ("admincode", "unitcode", "所属单位编码", "行政区划编码", "所属区划编码",
                       "区划代码", "所属村编码"),
    },
}  # fmt: skip

REQUIRED: dict[str, tuple[str, ...]] = {
    "admin-units": ("code", "name"),
    "grids": ("code",),
    "addresses": ("code", "full_text"),
    "facilities": ("code", "name", "kind"),
}

# Kinds whose rows need a geometry; admin units may come as a bare code list.
GEOMETRY_REQUIRED = {"admin-units": False, "grids": True, "addresses": True, "facilities": True}
POINT_KINDS = ("addresses", "facilities")
POLYGON_KINDS = ("admin-units", "grids")


def known_headers(kind: str) -> list[str]:
    """Every column name accepted for ``kind`` (to find the header row of a spreadsheet)."""
    aliases = {**KIND_ALIASES[kind], **GEOMETRY_ALIASES}
    return [name for names in aliases.values() for name in names]


@dataclass
class ColumnMap:
    """Which source header feeds which field, plus the headers nobody reads."""

    fields: dict[str, str]
    ignored: list[str]

    def label(self, field: str) -> str:
        """The field as the user wrote it in the header (for messages)."""
        return self.fields.get(field, field)


def map_columns(
    kind: str, headers: list[str], header_row: int | None = None
) -> tuple[ColumnMap, list[RowProblem]]:
    """Match ``headers`` to the fields of ``kind``; report unknown, doubled and missing ones.

    ``header_row`` is the header's row in a spreadsheet (None for GIS formats), for messages.
    """
    aliases = {**KIND_ALIASES[kind], **GEOMETRY_ALIASES}
    lookup = {normalise_header(a): field for field, names in aliases.items() for a in names}
    fields: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[RowProblem] = []
    for header in headers:
        field = lookup.get(normalise_header(header))
        if field is None:
            ignored.append(str(header))
        elif field in fields:
            problems.append(
                RowProblem(
                    header_row,
                    str(header),
                    f"'{fields[field]}' 与 '{header}' 是同一列，请只留一列 / "
                    f"both '{fields[field]}' and '{header}' mean {field}: keep one",
                )
            )
        else:
            fields[field] = str(header)
    for field in REQUIRED[kind]:
        if field not in fields:
            names = " / ".join(KIND_ALIASES[kind][field][:4])
            problems.append(
                RowProblem(
                    header_row, field, f"缺少必需的列 / required column missing (accepted: {names})"
                )
            )
    return ColumnMap(fields=fields, ignored=ignored), problems
