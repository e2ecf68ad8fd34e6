"""Colours, symbols and labels the map pages share (the payloads carry them to the page).

Risk levels take their colours from :mod:`core.risk_levels`. Hotspot classes use the
Okabe–Ito palette (distinguishable with the common colour-vision deficiencies) and each has
its own line pattern too, so no class depends on colour alone.
"""

from __future__ import annotations

from core import risk_levels

# Grid fills are drawn at this opacity; legend swatches are blended the same way by the page.
GRID_FILL_OPACITY = 0.85
RISK_PALETTE = [level.colour for level in risk_levels.LEVELS]
STATUS_COLOURS = {
    "received": "#38bdf8",
    "routed": "#a78bfa",
    "in_progress": "#facc15",
    "unresolved": "#fb7185",
}
# English words beside the Chinese status labels (never the stored codes).
STATUS_WORDS = {
    "received": "received",
    "routed": "routed",
    "in_progress": "in progress",
    "resolved": "resolved",
    "unresolved": "unresolved",
    "rated": "rated",
    "archived": "archived",
    "followed_up": "followed up",
}
# Open cases whose place is not certain (位置待核实: no grid, or text against the unit or the
# GPS): a dashed amber ring and "?" on the marker (overdue keeps its "!"), and words, never
# the stored conflict codes, in the popup.
UNVERIFIED_LABEL = "位置待核实 location to verify"
UNVERIFIED_COLOUR = "#f59e0b"
UNVERIFIED_GLYPH = "?"
LOCATION_CONFLICT_WORDS = {
    "admin": "地址与所属乡镇不符 text names another township",
    "gps": "地址与 GPS 位置不符 text and GPS disagree",
}
FACILITY_STYLE = {  # kind -> (colour, glyph)
    "county_centre": ("#e03131", "县"),
    "township_centre": ("#f76707", "镇"),
    "village_centre": ("#b45309", "村"),
    "police_station": ("#1c7ed6", "警"),
    "court_station": ("#7048e8", "法"),
    "judge_contact_point": ("#d6336c", "官"),
    "judicial_office": ("#0ca678", "司"),
    "mediation_committee": ("#74b816", "调"),
    "legal_adviser": ("#868e96", "律"),
}
CENTRE_KINDS = ("county_centre", "township_centre")
# Emerging hot spot categories (Esri, "How Emerging Hot Spot Analysis works"):
# key -> (label, colour, dash pattern of the outline; "" is a solid line).
HOTSPOT_CLASSES = {
    "new": ("新增热点 new", "#F0E442", "2 5"),
    "consecutive": ("连续热点 consecutive", "#56B4E9", "10 5"),
    "intensifying": ("加剧热点 intensifying", "#D55E00", ""),
    "persistent": ("持续热点 persistent", "#CC79A7", ""),
    "diminishing": ("减弱热点 diminishing", "#009E73", "6 4"),
    "sporadic": ("零星热点 sporadic", "#E69F00", "1 6"),
    "oscillating": ("振荡热点 oscillating", "#0072B2", "12 4 2 4"),
    "historical": ("历史热点 historical", "#999999", "4 8"),
}
OTHER_HOTSPOT = ("其他 other", "#ffffff", "3 3")
UNCLASSED_HOTSPOT = ("预警 flagged", "#ffffff", "")
REVIEW_LABELS = {
    "pending": "待审核 pending",
    "confirmed": "已确认 confirmed",
    "dismissed": "已排除 dismissed",
}
METHOD_LABELS = {
    "model": "模型 model",
    "gistar": "Gi* 热点",
    "emerging": "新兴热点 emerging",
}


def status_label(status: str) -> str:
    """A dispute status in words: "协同办理 in progress"."""
    from core import vocab

    chinese = vocab.DISPUTE_STATUSES.get(status)
    if chinese is None:
        return "未知状态 unknown status"
    return f"{chinese} {STATUS_WORDS.get(status, '')}".strip()
