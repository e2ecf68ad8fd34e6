"""The redraw desk in Chromium, by real clicks: select a unit, move it to a neighbouring grid,
see the figures change, be refused an illegal move, undo and redo, save a new version and
find it again after a reload. The county is SYNTHETIC (the demo)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.deps import TOKEN_COOKIE
from geo.database.engine import make_engine
from tests.api.accounts import token_for

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "artifacts"  # kept out of git

# Units and the grid each may (or may not) move to, as the page's own check judges them, with
# the page pixel of the unit's centre where the unit itself is the topmost thing.
_MOVES = """
(wanted) => {
  const desk = wangge.desk;
  const v = desk.villages[0];
  const box = desk.map.getContainer().getBoundingClientRect();
  const load = {};
  v.units.forEach(u => { load[u.settlement] = (load[u.settlement] || 0) + u.households; });
  // Whether unit i lies in a settlement a grid could hold, whole in i's grid with other units.
  const splitsWhole = i => {
    const s = v.units[i].settlement;
    const same = v.units.map((u, j) => j).filter(j => v.units[j].settlement === s);
    return same.length > 1 && load[s] <= v.target && same.every(j => v.grid[j] === v.grid[i]);
  };
  for (let i = 0; i < v.units.length; i++) {
    if (wanted.split && !splitsWhole(i)) continue;
    const layer = v.layers[i];
    const p = desk.map.latLngToContainerPoint(layer.getBounds().getCenter());
    const x = box.left + p.x, y = box.top + p.y;
    if (document.elementFromPoint(x, y) !== layer._path) continue;
    const grids = new Set(v.units[i].neighbours.map(n => v.grid[n]));
    grids.delete(v.grid[i]);
    for (const g of grids) {
      const problem = desk.checkMove([{village: v.code, unit: i}], v.code, g);
      const legal = problem === null;
      if (legal === wanted.legal && (legal || problem.includes(wanted.reason))) {
        return {unit: i, from: v.grid[i], to: g, x: x, y: y, option: v.code + "|" + g,
                households: v.units[i].households};
      }
    }
  }
  return null;
}
"""


def _splits_shown(page) -> int:
    return int(page.locator(".wg-desk-splits").first.get_attribute("data-count"))


def _splits_expected(page) -> int:
    """Settlements a grid could hold lying in several grids, counted here from the page's data."""
    units = page.evaluate(
        "() => { const v = wangge.desk.villages[0];"
        " return {target: v.target, units: v.units.map((u, i) =>"
        " [u.settlement, u.households, v.grid[i]])}; }"
    )
    load, grids = {}, {}
    for settlement, households, grid in units["units"]:
        load[settlement] = load.get(settlement, 0) + households
        grids.setdefault(settlement, set()).add(grid)
    return sum(len(g) > 1 and load[s] <= units["target"] for s, g in grids.items())


def _households(page, grid_index: int) -> int:
    row = page.locator(".wg-desk-table tr[data-grid]").nth(grid_index)
    return int(row.locator(".wg-households").inner_text())


def _plan(url: str) -> int:
    from geo.redraw import propose

    engine = make_engine(url, pool_size=1)
    try:
        with Session(engine) as session:
            village = session.execute(
                text(
                    "SELECT village_code FROM grid WHERE valid_to IS NULL"
                    " GROUP BY village_code HAVING count(*) >= 4 ORDER BY village_code LIMIT 1"
                )
            ).scalar_one()
            plan = propose(session=session, scope=village, target=60)
            session.commit()
            return plan["plan"]
    finally:
        engine.dispose()


def _log_in(page, base_url: str, url: str, role: str, scope: str | None = None) -> None:
    token = token_for(url, username=f"desk_{role}", role=role, scope_code=scope)
    page.context.add_cookies([{"name": TOKEN_COOKIE, "value": token, "url": base_url}])


def test_redraw_desk_by_real_clicks(page, fresh_demo_url, start_server):
    plan = _plan(fresh_demo_url)
    base = start_server(fresh_demo_url)
    _log_in(page, base, fresh_demo_url, "county_centre")
    page.goto(f"{base}/maps/redraw/{plan}/desk")
    page.wait_for_function("() => window.wangge && wangge.desk && wangge.desk.ready")
    page.wait_for_timeout(400)
    assert "方案 plan #" in page.locator("#wg-desk-plan").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "desk-before.png"))

    splits_before = _splits_shown(page)
    assert splits_before == _splits_expected(page)
    legal = page.evaluate(_MOVES, {"legal": True, "reason": "", "split": True})
    assert legal is not None
    before_from, before_to = _households(page, legal["from"]), _households(page, legal["to"])
    page.mouse.click(legal["x"], legal["y"])
    assert "已选 1 个单元" in page.locator("#wg-desk-selection").inner_text()
    page.select_option("#wg-desk-target", legal["option"])
    page.click("#wg-desk-assign")
    assert "已将 1 个单元划入" in page.locator("#wg-desk-message").inner_text()
    moved = round(legal["households"])
    assert abs(_households(page, legal["from"]) - (before_from - moved)) <= 1
    assert abs(_households(page, legal["to"]) - (before_to + moved)) <= 1
    # the unit left a settlement that fits a grid: the desk counts the split at once
    assert _splits_shown(page) == _splits_expected(page) == splits_before + 1
    page.screenshot(path=str(SHOTS / "desk-after.png"))

    # a move that would cut a grid in two is refused and changes nothing
    illegal = page.evaluate(_MOVES, {"legal": False, "reason": "连通", "split": False})
    assert illegal is not None
    shown = page.locator(".wg-desk-table").inner_text()
    page.mouse.click(illegal["x"], illegal["y"])
    page.select_option("#wg-desk-target", illegal["option"])
    page.click("#wg-desk-assign")
    message = page.locator("#wg-desk-message")
    assert "不能调整" in message.inner_text() and "连通" in message.inner_text()
    assert page.locator(".wg-desk-table").inner_text() == shown

    page.click("#wg-desk-undo")
    assert _households(page, legal["from"]) == before_from
    assert _households(page, legal["to"]) == before_to
    page.click("#wg-desk-redo")
    assert abs(_households(page, legal["to"]) - (before_to + moved)) <= 1

    page.click("#wg-desk-save")
    page.wait_for_function(
        "() => document.getElementById('wg-desk-message').textContent.includes('已保存为方案')"
    )
    page.reload()
    page.wait_for_function("() => window.wangge && wangge.desk && wangge.desk.ready")
    header = page.locator("#wg-desk-plan").inner_text()
    assert "第2版" in header and f"基于方案 #{plan}" in header and "desk_county_centre" in header
    assert page.evaluate("wangge.desk.data.plan") != plan
    unit_grid = page.evaluate(f"wangge.desk.villages[0].grid[{legal['unit']}]")
    assert unit_grid == legal["to"]
    assert abs(_households(page, legal["to"]) - (before_to + moved)) <= 1
    # the saved plan's summary names the settlement the edit split
    assert "系手工调整拆分" in page.locator("#wg-desk-summary").inner_text()
