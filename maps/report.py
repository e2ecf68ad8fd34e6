"""The printable hotspot review report: one HTML page that prints cleanly on A4 portrait.

Page 1 holds the heading, the map at full width with its legend in words, and the start of
the table; the table lists every grid flagged in the period, one row per grid, with the
methods that flagged it, its risk level, its reasons cut to two lines (the full text goes to
the notes at the end) and blank fields for the meeting to fill in by hand. The map is an
inline SVG drawn here from the grid shapes (no browser, no tiles, crisp in print).
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core import risk_levels
from maps.assets import STATIC_DIR
from maps.base import FAVICON
from maps.display import display_geometries, to_wgs84
from maps.features import NODATA_COLOUR, SHANGHAI, is_synthetic, reason_texts
from maps.hotspots import review_payload
from maps.styles import RISK_PALETTE

SVG_WIDTH = 680  # px of the drawing: the frame fills the 186 mm printable width of A4 portrait
SVG_MAX_HEIGHT = SVG_WIDTH * 130 / 186  # a frame at most 130 mm tall leaves room for the table
REPORT_CSS = STATIC_DIR / "wangge" / "report.css"
BEIJING = ZoneInfo(SHANGHAI)
# What fits two lines of the reasons column (39 mm inside its padding at 8.5 pt: 13 CJK
# characters a line, Latin letters and digits about half), less room for the note mark.
REASON_BUDGET = 2 * 13 - 5
COLUMNS = (  # (heading, English word, width in mm): 185 mm, the table's outer border in 186 mm
    ("#", "", 6),
    ("网格", "grid", 34),
    ("类型", "class", 21),
    ("风险", "risk", 15),
    ("说明", "reasons", 41),
    ("状态", "status", 12),
    ("结论", "decision", 24),
    ("处置", "action", 17),
    ("审核人", "reviewer", 15),
)


def _svg_map(grids: gpd.GeoDataFrame, fills: dict[str, str], flagged: set[str]) -> str:
    """An SVG of the grids (equirectangular, x scaled by cos(latitude)), flagged ones outlined."""
    frame = to_wgs84(grids)
    geoms = display_geometries(frame.geometry.values, tolerance=0.0003)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    kx = float(np.cos(np.radians((miny + maxy) / 2)))
    # the county drawn as large as the frame allows, centred in a full-width frame
    scale = min(SVG_WIDTH / max((maxx - minx) * kx, 1e-9), SVG_MAX_HEIGHT / max(maxy - miny, 1e-9))
    height = max((maxy - miny) * scale, 1.0)
    offset_x = (SVG_WIDTH - (maxx - minx) * kx * scale) / 2

    def path(geom) -> str:
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                px = offset_x + (xy[:, 0] - minx) * kx * scale
                py = (maxy - xy[:, 1]) * scale
                parts.append(
                    "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in zip(px, py, strict=True)) + "Z"
                )
        return "".join(parts)

    body, outlines = [], []
    for code, geom in zip(frame["code"].astype(str), geoms, strict=True):
        d = path(geom)
        fill = fills.get(code, NODATA_COLOUR)
        body.append(f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.3"/>')
        if code in flagged:
            outlines.append(f'<path d="{d}" fill="none" stroke="#000" stroke-width="2"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {height:.0f}" '
        f'role="img" aria-label="预警网格地图 flagged grids map">'
        f"{''.join(body)}{''.join(outlines)}</svg>"
    )


def text_width(text: str) -> float:
    """Width of ``text`` in em: wide (CJK, full-width) characters 1, the others about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _clauses(reasons: list[str]) -> list[str]:
    """The reasons cut after each Chinese colon, semicolon and full stop, marks kept."""
    out: list[str] = []
    for reason in reasons:
        piece = ""
        for char in reason:
            piece += char
            if char in "：；。":
                out.append(piece)
                piece = ""
        out.append(piece + "。" if piece else "")
    return [c for c in out if c]


def short_reasons(reasons: list[str], budget: float = REASON_BUDGET) -> tuple[str, bool]:
    """(the reasons as far as they fit ``budget`` em, whether the rest was cut off): cut at
    the end of a clause when that keeps most of the room, else within one."""
    full = "".join(_clauses(reasons))
    if text_width(full) <= budget + 4:  # the whole text fits without the note mark
        return full, False
    shown, at_clause = "", ""
    for clause in _clauses(reasons):
        if text_width(shown + clause) > budget:
            break
        shown += clause
        at_clause = shown
    for char in full[len(shown) :]:
        if text_width(shown + char) > budget:
            break
        shown += char
    if text_width(at_clause) >= 0.75 * budget:
        shown = at_clause
    return shown.rstrip("：；。，、（ "), True


def _first_word(label: str) -> str:
    """The Chinese word of a bilingual label ("零星热点 sporadic" → "零星热点")."""
    return label.split(" ")[0] if label else ""


def _row(number: int, code: str, grid: dict, v: dict, note: bool, short: str) -> str:
    esc = html.escape
    scored = v.get("model") is not None
    level = risk_levels.LEVELS[v["model"]].name if scored else "未评分"
    colour = RISK_PALETTE[v["model"]] if scored else NODATA_COLOUR
    z = v.get("z")
    tags = "".join(
        f"<span class='tag'>{esc(_first_word(m) or m)}</span>" for m in v.get("methods") or []
    )
    reasons = esc(short) + ("…<sup>见附注</sup>" if note else "")
    status = v.get("status_label", "")
    return (
        "<tr>"
        f"<td class='num'>{number}</td>"
        f"<td><b>{esc(str(grid.get('name') or code))}</b><br><small>"
        f"{esc(str(grid.get('village') or ''))} {esc(code)}</small></td>"
        f"<td>{esc(_first_word(v.get('class_label', '')))}<br>{tags}</td>"
        f"<td><i class='level' style='background:{colour}'></i>{esc(level)}"
        + ("" if z is None else f"<br><small>z {z:.2f}</small>")
        + "</td>"
        f"<td class='reasons'><span class='why'>{reasons}</span></td>"
        f"<td>{esc(_first_word(status))}</td>"
        "<td class='blank decision'>☐ 确认 confirm<br>☐ 排除 dismiss</td>"
        "<td class='blank'></td><td class='blank'></td>"
        "</tr>"
    )


def _table(flagged: list[tuple[str, dict]], names: dict[str, dict]) -> tuple[str, str]:
    """(the table of flagged grids, the notes holding the reasons cut short in it)."""
    esc = html.escape
    rows, notes = [], []
    for number, (code, v) in enumerate(flagged, 1):
        reasons = reason_texts(v.get("reasons") or v.get("explanation"))
        short, cut = short_reasons(reasons)
        if cut:
            items = "".join(f"<li>{esc(r)}</li>" for r in reasons)
            name = names.get(code, {}).get("name") or code
            notes.append(
                f"<li><b>{number}. {esc(str(name))}</b> <small>{esc(code)}</small>"
                f"<ul>{items}</ul></li>"
            )
        rows.append(_row(number, code, names.get(code, {}), v, cut, short or "—"))
    colgroup = "".join(f"<col style='width:{mm}mm'>" for _, _, mm in COLUMNS)
    heads = "".join(
        f"<th>{zh}" + (f"<br><small>{en}</small>" if en else "") + "</th>" for zh, en, _ in COLUMNS
    )
    table = (
        f"<table class='flagged'><colgroup>{colgroup}</colgroup><thead><tr>{heads}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    appendix = (
        "<section class='notes'><h2>附注 说明全文（按表中序号） notes: full reasons</h2>"
        f"<ul>{''.join(notes)}</ul></section>"
        if notes
        else ""
    )
    return table, appendix


def _legend(meta: dict) -> str:
    esc = html.escape
    levels = "".join(
        f"<span class='item'><i style='background:{e['colour']}'></i>{esc(e['label'])}</span>"
        for e in meta["legends"]["model"]
    )
    return (
        "<figcaption class='legend'><b>模型风险 model risk</b>（预计下周纠纷起数与全县平均之比："
        "高 ≥ 4 倍，较高 ≥ 2 倍，中 ≥ 1 倍，低 低于平均）"
        f"{levels}<span class='item'><i class='outline'></i>粗黑框 = 本期预警网格 flagged</span>"
        "</figcaption>"
    )


def hotspot_report_html(
    *,
    grids: gpd.GeoDataFrame | None,
    scores: pd.DataFrame | None,
    period: str | None = None,
    area_name: str = "",
    generated_at: dt.datetime,
) -> str:
    """The A4 review report for ``period`` (default: the latest) as a complete HTML page.

    Inputs as for :func:`maps.hotspots.review_payload`; ``grids`` also supplies ``village``.
    ``generated_at`` is stamped in Beijing time (a naive value is taken as the machine's
    local time).
    """
    esc = html.escape
    payload = review_payload(grids, scores, tolerance=0)
    meta = payload["wangge"]
    periods = meta.get("periods", [])
    period = period or (periods[-1] if periods else None)
    table = meta.get("values", {}).get(period, {}) if period else {}
    synthetic = meta.get("synthetic") or is_synthetic(grids)
    names = {f["properties"]["code"]: f["properties"] for f in payload["features"]}
    flagged = [(code, v) for code, v in table.items() if v.get("flagged")]
    flagged.sort(key=lambda item: (-(item[1].get("score") or 0), item[0]))
    fills = {
        code: RISK_PALETTE[v["model"]] for code, v in table.items() if v.get("model") is not None
    }
    stamp = generated_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    title = f"{area_name} 热点预警审核报告 hotspot review report"
    head = (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"{FAVICON}"
        f"<style>{REPORT_CSS.read_text(encoding='utf-8')}</style></head><body><main>"
        f"<h1>{esc(title)}</h1><div class='meta'>周期 period: <b>{esc(period or '—')}</b> · "
        f"生成 generated: <span class='generated'>{esc(stamp)} 北京时间</span> · "
        f"预警网格 flagged grids: <b class='flagged-count'>{len(flagged)}</b>"
        + (" · <span class='synthetic'>模拟数据 · synthetic data</span>" if synthetic else "")
        + "</div>"
    )
    if grids is None or grids.empty:
        return (
            head
            + "<p class='nodata'>暂无网格数据 / no grids yet</p>"
            + _signature()
            + "</main></body></html>"
        )
    figure = f"<figure>{_svg_map(grids, fills, {c for c, _ in flagged})}{_legend(meta)}</figure>"
    if not flagged:
        rows, notes = "<p class='nodata'>本期无预警网格 / no grids flagged this period</p>", ""
    else:
        rows, notes = _table(flagged, names)
    return head + figure + rows + _signature() + notes + "</main></body></html>"


def _signature() -> str:
    return (
        "<div class='sign'><div>会议主持 chair: ____________</div>"
        "<div>记录 minutes: ____________</div>"
        "<div>日期 date: ____________</div></div>"
    )
