"""The printable hotspot review report: one HTML page that prints cleanly on A4.

The map is an inline SVG drawn here from the grid shapes (no browser, no tiles, crisp in
print); the table lists every grid flagged in the period with blank review fields for the
meeting to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
import html

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from maps.assets import STATIC_DIR
from maps.display import display_geometries, to_wgs84
from maps.features import NODATA_COLOUR, is_synthetic
from maps.hotspots import review_payload
from maps.styles import RISK_PALETTE

SVG_WIDTH = 680  # px; about 180 mm at 96 dpi, the printable width of A4 portrait

REPORT_CSS = STATIC_DIR / "wangge" / "report.css"


def _svg_map(grids: gpd.GeoDataFrame, fills: dict[str, str], flagged: set[str]) -> str:
    """An SVG of the grids (equirectangular, x scaled by cos(latitude)), flagged ones outlined."""
    frame = to_wgs84(grids)
    geoms = display_geometries(frame.geometry.values, tolerance=0.0003)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    kx = float(np.cos(np.radians((miny + maxy) / 2)))
    scale = SVG_WIDTH / max((maxx - minx) * kx, 1e-9)
    height = max((maxy - miny) * scale, 1.0)

    def path(geom) -> str:
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                px = (xy[:, 0] - minx) * kx * scale
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
        f'role="img" aria-label="flagged grids map">{"".join(body)}{"".join(outlines)}</svg>'
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
    flagged.sort(key=lambda item: -(item[1].get("score") or 0))
    fills = {
        code: RISK_PALETTE[v["model"]] for code, v in table.items() if v.get("model") is not None
    }
    title = f"{area_name} 热点预警审核报告 hotspot review report"
    head = (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{REPORT_CSS.read_text(encoding='utf-8')}</style></head><body><main>"
        f"<h1>{esc(title)}</h1><div class='meta'>周期 period: <b>{esc(period or '—')}</b> · "
        f"生成 generated: {esc(generated_at.strftime('%Y-%m-%d %H:%M'))} · "
        f"预警网格 flagged grids: <b>{len(flagged)}</b>"
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
    legend = "".join(
        f"<span style='background:{e['colour']}'></span>{esc(e['label'])}"
        for e in meta["legends"]["model"]
    )
    figure = (
        f"<figure>{_svg_map(grids, fills, {c for c, _ in flagged})}"
        f"<figcaption class='legend'>模型风险 model risk:{legend} · "
        "黑框 = 预警网格 black outline = flagged</figcaption>"
        "</figure>"
    )
    if not flagged:
        rows = "<p class='nodata'>本期无预警网格 / no grids flagged this period</p>"
    else:
        body = []
        for i, (code, v) in enumerate(flagged, 1):
            p = names.get(code, {})
            z, score = v.get("z"), v.get("score")
            z_text = "" if z is None else f"{z:.2f}"
            score_text = "" if score is None else f"{score:.3f}"
            body.append(
                "<tr>"
                f"<td>{i}</td>"
                f"<td>{esc(str(p.get('name') or ''))}<br><small>{esc(code)}</small></td>"
                f"<td>{esc(str(p.get('village') or ''))}</td>"
                f"<td>{esc(v.get('class_label', ''))}</td>"
                f"<td>{score_text}</td><td>{z_text}</td>"
                f"<td>{esc(v.get('explanation') or '')}</td>"
                f"<td>{esc(v.get('status_label', ''))}</td>"
                "<td class='blank'>☐ 确认 confirm<br>☐ 排除 dismiss</td>"
                "<td class='blank'></td><td class='blank'></td>"
                "</tr>"
            )
        rows = (
            "<table><thead><tr><th>#</th><th>网格 grid</th><th>村 village</th><th>类型 class</th>"
            "<th>模型 score</th><th>Gi* z</th><th>说明 explanation</th><th>状态 status</th>"
            "<th>结论 decision</th><th>处置 action</th><th>审核人 reviewer</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return head + figure + rows + _signature() + "</main></body></html>"


def _signature() -> str:
    return (
        "<div class='sign'><div>会议主持 chair: ____________</div>"
        "<div>记录 minutes: ____________</div>"
        "<div>日期 date: ____________</div></div>"
    )
