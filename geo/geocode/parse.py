"""Structural parsing of normalised Chinese address text into levels.

The parser knows suffixes, not places: it reads a normalised string left to right and cuts
province (省/自治区), prefecture (州/地区/盟/市), county (县/区/市/旗), township (乡/镇/街道),
village or community (村/社区 and their 委员会 forms), group (组/社/队), road (路/街/巷 …),
number (号), building/unit/room and landmark words (旁边, 对面, 村委会, 卫生院 …).

Levels may be missing or come in another order; what cannot be cut by suffix stays in
``rest``. The gazetteer matcher (:mod:`geo.geocode.match`) does not rely on the suffixes
for place names: it finds names with or without them. It uses this parser for the part
after the village (group, road, number, building, landmark) and as a readable breakdown
for people checking a result.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field

from geo.geocode.normalize import normalize

PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "台湾省", "香港特别行政区", "澳门特别行政区",
)  # fmt: skip

_PROVINCE_SHORT = {
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区", "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}  # fmt: skip
for _name in PROVINCES:
    _PROVINCE_SHORT.setdefault(_name.removesuffix("省").removesuffix("市"), _name)

# Words that locate something relative to a place rather than name it. The second group
# names a place kind that a centre or facility of the unit stands for.
LANDMARK_RELATIONS = (
    "旁边", "对面", "附近", "隔壁", "后面", "前面", "门口", "边上", "一带", "周边", "路口",
    "那家", "那户", "里面", "背后", "东侧", "西侧", "南侧", "北侧", "往东", "往西", "往南",
    "往北", "下面", "上面", "旁",
)  # fmt: skip
LANDMARK_PLACES = (
    "村民委员会", "村委会", "村部", "村两委", "居委会", "社区服务中心", "综治中心", "卫生院",
    "卫生室", "卫生所", "小学", "中学", "学校", "幼儿园", "小卖部", "商店", "超市", "清真寺",
    "寺院", "寺", "广场", "医院", "派出所", "司法所", "镇政府", "乡政府", "政府", "加油站",
    "桥头", "市场", "菜市场", "车站", "饭馆", "饭店", "磨坊", "大队部",
)  # fmt: skip
# Landmarks that stand for the village centre (村委会 and its synonyms).
VILLAGE_CENTRE_WORDS = ("村民委员会", "村委会", "村部", "村两委", "居委会", "社区服务中心")
TOWNSHIP_CENTRE_WORDS = ("镇政府", "乡政府", "综治中心")

_NAME = r"[^省市州县区旗镇乡村社组号路街巷\d]"
_PROVINCE_RE = re.compile(r"^(.{2,7}?(?:省|自治区|特别行政区))")
_PREFECTURE_RE = re.compile(rf"^({_NAME}{{1,12}}?(?:自治州|地区|盟|州|市))(?![镇乡村社])")
_COUNTY_RE = re.compile(rf"^({_NAME}{{1,10}}?(?:自治县|县|区|旗|市))(?![镇乡村社])")
_TOWNSHIP_RE = re.compile(r"^([^省州县镇乡村组号\d]{1,8}?(?:街道办事处|街道|镇|乡))")
_VILLAGE_NAME = r"[^省州县旗镇乡组号\d]"
_VILLAGE_RE = re.compile(
    rf"^({_VILLAGE_NAME}{{1,10}}?"
    r"(?:村民委员会|村委会|社区居民委员会|社区居委会|居委会|社区|村(?:村(?!委会|民委员会))?))"
)
_GROUP_RE = re.compile(r"(\d+)(?:组|社(?!区)|队|小组)")
_ROAD_RE = re.compile(r"([^\d]{1,12}?(?:大道|大街|路|街|巷|弄|胡同))(?=\d)")
_NUMBER_RE = re.compile(r"(\d+(?:-\d+)?)号(?!楼)")
_BUILDING_RE = re.compile(r"(\d+)(?:栋|幢|号楼)")
_UNIT_RE = re.compile(r"(\d+)单元")
_ROOM_RE = re.compile(r"(\d+)(?:室|户)")
_LANDMARK_RE = re.compile(
    "(" + "|".join(sorted(LANDMARK_PLACES + LANDMARK_RELATIONS, key=len, reverse=True)) + ")"
)
_VILLAGE_SUFFIX_RE = re.compile(r"(?:村民委员会|村委会|社区居民委员会|社区居委会|居委会|社区|村)$")


@dataclass
class ParsedAddress:
    """Levels read from one address string; ``None`` where the text does not say."""

    text: str
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    township: str | None = None
    village: str | None = None
    group: int | None = None
    road: str | None = None
    number: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    landmarks: list[str] = field(default_factory=list)
    rest: str = ""

    def as_dict(self) -> dict:
        """Plain dict (for JSON responses)."""
        return asdict(self)


@functools.lru_cache(maxsize=65536)
def village_core(name: str) -> str:
    """Village or community name without suffix: 范家咀村民委员会 → 范家咀, 店子村村 → 店子."""
    name = normalize(name)
    for suffix in ("村民委员会", "村委会", "社区居民委员会", "社区居委会", "居委会", "社区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix).rstrip("村") or name
    stripped = name.rstrip("村")
    return stripped if len(stripped) >= 1 else name


@functools.lru_cache(maxsize=65536)
def township_core(name: str) -> str:
    """A township name without 乡/镇/街道: 冶力关镇 → 冶力关 (two-character names keep theirs)."""
    name = normalize(name)
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name.removesuffix(suffix)
    return name


def parse_tail(text: str) -> ParsedAddress:
    """Read group, road, number, building, unit, room and landmarks from normalised text.

    Used for the part of an address after the village; ``text`` must be normalised.
    """
    parsed = ParsedAddress(text=text)
    rest = text
    for pattern, attribute in (
        (_BUILDING_RE, "building"),
        (_UNIT_RE, "unit"),
        (_ROOM_RE, "room"),
        (_GROUP_RE, "group"),
        (_NUMBER_RE, "number"),
    ):
        match = pattern.search(rest)
        if match:
            value = match.group(1)
            setattr(parsed, attribute, int(value) if attribute == "group" else value)
            rest = rest[: match.start()] + " " + rest[match.end() :]
    road = _ROAD_RE.search(text)
    if road and road.group(1).split():
        name = road.group(1).split()[-1]
        if not _VILLAGE_SUFFIX_RE.search(name):
            parsed.road = name
            rest = rest.replace(name, " ", 1)
    parsed.landmarks = _LANDMARK_RE.findall(rest)
    rest = _LANDMARK_RE.sub(" ", rest)
    parsed.rest = " ".join(rest.split())
    return parsed


def parse_address(text: str | None) -> ParsedAddress:
    """Cut an address string into levels by suffix (see the module docstring).

    ``"甘肃省甘南州临潭县城关镇西街村三组12号"`` → province 甘肃省, prefecture 甘南州,
    county 临潭县, township 城关镇, village 西街村, group 3, number 12.
    """
    normal = normalize(text)
    rest = normal
    found: dict[str, str] = {}
    match = _PROVINCE_RE.match(rest)
    if match:
        found["province"] = match.group(1)
    else:
        for short in sorted(_PROVINCE_SHORT, key=len, reverse=True):
            if rest.startswith(short):
                found["province"] = _PROVINCE_SHORT[short]
                match = re.match(re.escape(short) + "(?:省|市)?", rest)
                break
    if match:
        rest = rest[match.end() :]
    for attribute, pattern in (
        ("prefecture", _PREFECTURE_RE),
        ("county", _COUNTY_RE),
        ("township", _TOWNSHIP_RE),
        ("village", _VILLAGE_RE),
    ):
        match = pattern.match(rest)
        if match:
            found[attribute] = match.group(1)
            rest = rest[match.end() :]
    if "county" not in found and found.get("prefecture", "").endswith("市"):
        # "XX市" straight before a township is a county-level city, not a prefecture.
        following = _TOWNSHIP_RE.match(rest) or _VILLAGE_RE.match(rest)
        if following:
            found["county"] = found.pop("prefecture")
    tail = parse_tail(rest)
    tail.text = normal
    for attribute, value in found.items():
        setattr(tail, attribute, value)
    return tail
