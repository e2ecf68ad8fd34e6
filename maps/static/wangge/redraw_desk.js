/* The redraw desk: select units (cells of address locations) and move them to a neighbouring
 * grid of the same village. Every move is checked here first (same village, neighbouring grid,
 * no grid left empty or broken apart) and again by the server when the plan is saved.
 * Figures per grid are recomputed on each move: households, deviation from the village's
 * target, contiguity, and Polsby–Popper 4πA/P², where A sums the cells' areas and P their
 * outer edges plus the edges shared with units of other grids. */
(function () {
  "use strict";
  const PALETTE = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
    "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#d9d9d9"];
  const data = JSON.parse(document.getElementById("wg-desk-data").textContent);
  const tolerance = data.tolerance;
  const villages = data.villages.map(function (v) {
    return {
      code: v.code, name: v.name || v.code, target: v.target, grids: v.grids,
      units: v.units.map(function (f) { return f.properties; }),
      features: v.units, current: v.current,
      grid: Int32Array.from(v.units.map(function (f) { return f.properties.grid; })),
      original: Int32Array.from(v.units.map(function (f) { return f.properties.grid; })),
      layers: [], labels: [],
    };
  });
  const byVillage = {};
  villages.forEach(function (v) { byVillage[v.code] = v; });

  const desk = {
    data: data, villages: villages, selected: [], undo: [], redo: [], mode: "unit",
    saved: null, moves: 0,
  };
  window.wangge = window.wangge || {};
  window.wangge.desk = desk;

  const $ = function (id) { return document.getElementById(id); };
  const key = function (village, unit) { return village + ":" + unit; };

  // ---- figures -------------------------------------------------------------------------
  function connected(v, members) {
    if (members.length <= 1) return true;
    const inGrid = new Set(members);
    const seen = new Set([members[0]]);
    const stack = [members[0]];
    while (stack.length) {
      const u = stack.pop();
      for (const n of v.units[u].neighbours) {
        if (inGrid.has(n) && !seen.has(n)) { seen.add(n); stack.push(n); }
      }
    }
    return seen.size === members.length;
  }

  function gridFigures(v) {
    const out = v.grids.map(function (g, i) {
      return { index: i, code: g.code, name: g.name, households: 0, area: 0, perimeter: 0,
        members: [] };
    });
    v.units.forEach(function (u, i) {
      const g = out[v.grid[i]];
      g.households += u.households;
      g.area += u.area_m2;
      g.perimeter += u.outer_m;
      g.members.push(i);
      u.neighbours.forEach(function (n, k) {
        if (v.grid[n] !== v.grid[i]) g.perimeter += u.shared_m[k];
      });
    });
    out.forEach(function (g) {
      g.deviation = v.target > 0 ? (g.households - v.target) / v.target : 0;
      g.compactness = g.perimeter > 0 ? 4 * Math.PI * g.area / (g.perimeter * g.perimeter) : 0;
      g.contiguous = g.members.length > 0 && connected(v, g.members);
    });
    return out;
  }
  desk.figures = function (villageCode) { return gridFigures(byVillage[villageCode || villages[0].code]); };

  // ---- checking a move --------------------------------------------------------------------
  function checkMove(units, targetVillage, target) {
    if (!units.length) return "请先选择单元 / select units first";
    const v = byVillage[units[0].village];
    if (units.some(function (s) { return s.village !== v.code; })) {
      return "所选单元须在同一村内 / the selected units must lie in one village";
    }
    if (targetVillage !== v.code) {
      return "不能划出本村（" + v.name + "） / units cannot leave their village";
    }
    const moving = units.filter(function (s) { return v.grid[s.unit] !== target; });
    if (!moving.length) return "所选单元已在该网格 / already in that grid";
    const chosen = new Set(moving.map(function (s) { return s.unit; }));
    const touches = moving.some(function (s) {
      return v.units[s.unit].neighbours.some(function (n) {
        return v.grid[n] === target && !chosen.has(n);
      });
    });
    if (!touches) return "只能划入相邻网格 / only a neighbouring grid can take them";
    const trial = Int32Array.from(v.grid);
    moving.forEach(function (s) { trial[s.unit] = target; });
    const touched = new Set([target]);
    moving.forEach(function (s) { touched.add(v.grid[s.unit]); });
    for (const g of touched) {
      const members = [];
      for (let i = 0; i < trial.length; i++) if (trial[i] === g) members.push(i);
      const name = v.grids[g].name;
      if (!members.length) return "网格「" + name + "」不能为空 / grid " + v.grids[g].code + " would be left empty";
      const saved = v.grid;
      v.grid = trial;
      const ok = connected(v, members);
      v.grid = saved;
      if (!ok) return "网格「" + name + "」将不再连通 / grid " + v.grids[g].code + " would no longer be contiguous";
    }
    return null;
  }
  desk.checkMove = checkMove;

  // ---- drawing ---------------------------------------------------------------------------
  const map = L.map("wg-desk-map", { zoomControl: true, preferCanvas: false });
  desk.map = map;
  const currentLayer = L.layerGroup().addTo(map);
  const unitLayer = L.featureGroup().addTo(map);
  const labelLayer = L.layerGroup().addTo(map);

  // Neighbouring grids get different colours (greedy colouring of the grids' adjacency at load).
  villages.forEach(function (v) {
    const touching = v.grids.map(function () { return new Set(); });
    v.units.forEach(function (u, i) {
      u.neighbours.forEach(function (n) {
        if (v.grid[n] !== v.grid[i]) touching[v.grid[i]].add(v.grid[n]);
      });
    });
    v.colours = [];
    v.grids.forEach(function (g, i) {
      const taken = new Set();
      touching[i].forEach(function (j) { if (j < i) taken.add(v.colours[j]); });
      let c = 0;
      while (taken.has(c) && c < PALETTE.length - 1) c++;
      v.colours.push(c);
    });
  });
  function colour(g, v) { return PALETTE[(v || villages[0]).colours[g]]; }
  function isSelected(v, u) {
    return desk.selected.some(function (s) { return s.village === v.code && s.unit === u; });
  }
  function styleOf(v, u) {
    const sel = isSelected(v, u);
    return {
      fillColor: colour(v.grid[u], v), fillOpacity: sel ? 0.9 : 0.7,
      color: sel ? "#1d4ed8" : "#ffffff", weight: sel ? 3 : 0.6, opacity: 1,
    };
  }

  villages.forEach(function (v) {
    L.geoJSON({ type: "FeatureCollection", features: v.current }, {
      interactive: false,
      style: function () { return { fill: false, color: "#111", weight: 2.5, dashArray: "6 4" }; },
    }).addTo(currentLayer);
    v.features.forEach(function (f, i) {
      const layer = L.geoJSON(f, { style: function () { return styleOf(v, i); } });
      layer.eachLayer(function (l) {
        l.deskUnit = { village: v.code, unit: i };
        l.on("click", function (e) { onUnitClick(v, i, e.originalEvent); });
        v.layers[i] = l;
        unitLayer.addLayer(l);
      });
    });
  });
  desk.unitLayer = unitLayer;
  if (unitLayer.getLayers().length) map.fitBounds(unitLayer.getBounds(), { padding: [10, 10] });

  function restyle() {
    villages.forEach(function (v) {
      v.layers.forEach(function (l, i) { if (l) l.setStyle(styleOf(v, i)); });
    });
  }

  function drawLabels() {
    labelLayer.clearLayers();
    villages.forEach(function (v) {
      const figures = gridFigures(v);
      figures.forEach(function (g) {
        if (!g.members.length) return;
        let best = g.members[0];
        let bestArea = -1;
        g.members.forEach(function (i) {
          if (v.units[i].area_m2 > bestArea) { bestArea = v.units[i].area_m2; best = i; }
        });
        const centre = v.layers[best].getBounds().getCenter();
        const text = g.name + " " + Math.round(g.households) + "户";
        const label = L.tooltip({ permanent: true, direction: "center", className: "wg-desk-label",
          interactive: false }).setLatLng(centre);
        label.setContent(document.createTextNode(text));
        labelLayer.addLayer(label);
      });
    });
  }

  // ---- panel -----------------------------------------------------------------------------
  function pct(x) { return (x >= 0 ? "+" : "") + (100 * x).toFixed(1) + "%"; }
  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function renderTables() {
    const box = $("wg-desk-grids");
    box.replaceChildren();
    villages.forEach(function (v) {
      const figures = gridFigures(v);
      const within = figures.filter(function (g) { return Math.abs(g.deviation) <= tolerance + 1e-9; });
      const title = document.createElement("h2");
      title.className = "wg-desk-village";
      title.textContent = v.name + "（目标 target " + v.target + " 户，±" + Math.round(tolerance * 100) +
        "%：" + within.length + "/" + figures.length + "）";
      box.appendChild(title);
      const splits = document.createElement("p");
      splits.className = "wg-desk-splits";
      const split = splitSettlements(v);
      splits.dataset.count = String(split);
      splits.textContent = "可避免的居民点拆分 settlements split that fit a grid: " + split +
        (split ? "（保存后在方案说明中列出 / named in the saved plan's summary）" : "");
      if (split) splits.classList.add("wg-off");
      box.appendChild(splits);
      const table = document.createElement("table");
      table.className = "wg-desk-table";
      table.dataset.village = v.code;
      const head = document.createElement("tr");
      ["网格 grid", "户数 households", "偏差 deviation", "连通 contiguous", "紧凑度 PP（按单元 by cells）"].forEach(
        function (t) { const th = document.createElement("th"); th.textContent = t; head.appendChild(th); });
      table.appendChild(head);
      figures.forEach(function (g) {
        const row = document.createElement("tr");
        row.dataset.grid = g.code;
        if (Math.abs(g.deviation) > tolerance + 1e-9) row.classList.add("wg-off");
        const changed = g.members.some(function (i) { return v.original[i] !== v.grid[i]; }) ||
          v.units.some(function (u, i) { return v.original[i] === g.index && v.grid[i] !== g.index; });
        if (changed) row.classList.add("wg-touched");
        const first = cell(row, "");
        const swatch = document.createElement("span");
        swatch.className = "wg-desk-swatch";
        swatch.style.background = colour(g.index, v);
        first.appendChild(swatch);
        first.appendChild(document.createTextNode(g.name));
        cell(row, String(Math.round(g.households)), "wg-households");
        cell(row, pct(g.deviation), "wg-dev");
        cell(row, g.contiguous ? "是 yes" : "否 no", "wg-contiguous");
        cell(row, g.compactness.toFixed(3), "wg-pp");
        table.appendChild(row);
      });
      box.appendChild(table);
    });
  }

  /* Settlements that a grid could hold (households ≤ the village's target) lying in more than
   * one grid: the redraw never leaves one so, a hand edit may. */
  function splitSettlements(v) {
    const load = new Map();
    const grids = new Map();
    v.units.forEach(function (u, i) {
      load.set(u.settlement, (load.get(u.settlement) || 0) + u.households);
      if (!grids.has(u.settlement)) grids.set(u.settlement, new Set());
      grids.get(u.settlement).add(v.grid[i]);
    });
    let count = 0;
    grids.forEach(function (held, s) { if (held.size > 1 && load.get(s) <= v.target) count += 1; });
    return count;
  }

  function renderSelection() {
    const target = $("wg-desk-target");
    target.replaceChildren();
    const info = $("wg-desk-selection");
    if (!desk.selected.length) {
      info.textContent = "未选择单元 / nothing selected";
      $("wg-desk-assign").disabled = true;
      return;
    }
    const v = byVillage[desk.selected[0].village];
    let households = 0;
    let addresses = 0;
    const from = new Set();
    desk.selected.forEach(function (s) {
      const u = byVillage[s.village].units[s.unit];
      households += u.households;
      addresses += u.addresses.length;
      from.add(byVillage[s.village].grid[s.unit]);
    });
    info.textContent = "已选 " + desk.selected.length + " 个单元，" + addresses + " 个地址，" +
      Math.round(households) + " 户（" + v.name + "）/ " + desk.selected.length + " units selected";
    // neighbouring grids first, the others of the village after them (a move to those is refused)
    const near = new Set();
    desk.selected.forEach(function (s) {
      byVillage[s.village].units[s.unit].neighbours.forEach(function (n) {
        const g = byVillage[s.village].grid[n];
        if (!from.has(g)) near.add(g);
      });
    });
    const order = Array.from(near).concat(v.grids.map(function (g, i) { return i; })
      .filter(function (i) { return !near.has(i); }));
    order.forEach(function (i) {
      const opt = document.createElement("option");
      opt.value = v.code + "|" + i;
      opt.textContent = v.grids[i].name + (near.has(i) ? "（相邻 neighbour）" : "");
      target.appendChild(opt);
    });
    $("wg-desk-assign").disabled = false;
  }

  function renderPlan() {
    const d = desk.saved || data;
    let text = "方案 plan #" + d.plan + " · " + (d.status === "proposed" ? "待审 proposed" : d.status);
    if (d.version) {
      text += " · 第" + d.version.version + "版 version " + d.version.version + "（基于方案 #" +
        d.version.parent + "，" + d.version.edited_by + " 于 " + d.version.edited_at.slice(0, 16)
        .replace("T", " ") + " 编辑）";
    } else if (d.created_by) {
      text += " · 原始方案 original (" + d.created_by + ")";
    }
    $("wg-desk-plan").textContent = text;
    $("wg-desk-summary").textContent = d.summary || "";
    $("wg-desk-undo").disabled = !desk.undo.length;
    $("wg-desk-redo").disabled = !desk.redo.length;
    $("wg-desk-save").disabled = !edited().length || data.status !== "proposed" || !!desk.saved;
  }

  function render() {
    restyle();
    drawLabels();
    renderTables();
    renderSelection();
    renderPlan();
  }
  desk.render = render;

  function say(text, kind) {
    const box = $("wg-desk-message");
    box.textContent = text;
    box.className = "wg-desk-message" + (kind ? " " + kind : "");
  }

  // ---- selecting -------------------------------------------------------------------------
  function unitsOf(v, i) {
    if (desk.mode !== "settlement") return [{ village: v.code, unit: i }];
    const s = v.units[i].settlement;
    const g = v.grid[i];
    const out = [];
    v.units.forEach(function (u, j) {
      if (u.settlement === s && v.grid[j] === g) out.push({ village: v.code, unit: j });
    });
    return out;
  }

  function onUnitClick(v, i, event) {
    const picked = unitsOf(v, i);
    if (event && event.shiftKey) {
      const have = new Set(desk.selected.map(function (s) { return key(s.village, s.unit); }));
      const already = picked.every(function (p) { return have.has(key(p.village, p.unit)); });
      if (already) {
        const drop = new Set(picked.map(function (p) { return key(p.village, p.unit); }));
        desk.selected = desk.selected.filter(function (s) { return !drop.has(key(s.village, s.unit)); });
      } else {
        picked.forEach(function (p) { if (!have.has(key(p.village, p.unit))) desk.selected.push(p); });
      }
    } else {
      desk.selected = picked;
    }
    say("");
    restyle();
    renderSelection();
  }

  document.querySelectorAll("input[name=wg-desk-mode]").forEach(function (input) {
    input.addEventListener("change", function () { desk.mode = input.value; });
  });

  // Lasso: alt-drag draws a free shape; units whose cell centre lies inside are selected.
  (function lasso() {
    let points = null;
    let line = null;
    const container = map.getContainer();
    container.addEventListener("mousedown", function (e) {
      if (!e.altKey) return;
      e.preventDefault();
      e.stopPropagation();
      map.dragging.disable();
      points = [map.mouseEventToLatLng(e)];
      line = L.polygon(points, { className: "wg-desk-lasso", interactive: false }).addTo(map);
    }, true);
    container.addEventListener("mousemove", function (e) {
      if (!points) return;
      points.push(map.mouseEventToLatLng(e));
      line.setLatLngs(points);
    }, true);
    window.addEventListener("mouseup", function (e) {
      if (!points) return;
      const ring = points.map(function (p) { return map.latLngToLayerPoint(p); });
      map.removeLayer(line);
      map.dragging.enable();
      points = null;
      if (ring.length < 3) return;
      const picked = [];
      villages.forEach(function (v) {
        v.layers.forEach(function (l, i) {
          if (inside(map.latLngToLayerPoint(l.getBounds().getCenter()), ring)) {
            picked.push({ village: v.code, unit: i });
          }
        });
      });
      desk.selected = e.shiftKey ? desk.selected.concat(picked) : picked;
      restyle();
      renderSelection();
    }, true);
    function inside(p, ring) {
      let odd = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i], b = ring[j];
        if ((a.y > p.y) !== (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) odd = !odd;
      }
      return odd;
    }
  })();

  // ---- moving, undo, redo ----------------------------------------------------------------
  function apply(move, forward) {
    const v = byVillage[move.village];
    move.units.forEach(function (u, k) { v.grid[u] = forward ? move.to : move.from[k]; });
  }

  function assign() {
    const choice = $("wg-desk-target").value;
    if (!choice) return;
    const parts = choice.split("|");
    const targetVillage = parts[0];
    const target = Number(parts[1]);
    const problem = checkMove(desk.selected, targetVillage, target);
    if (problem) { say("不能调整 refused：" + problem, "wg-refused"); return false; }
    const v = byVillage[targetVillage];
    const units = desk.selected.map(function (s) { return s.unit; })
      .filter(function (u) { return v.grid[u] !== target; });
    const move = { village: v.code, units: units, from: units.map(function (u) { return v.grid[u]; }), to: target };
    apply(move, true);
    desk.undo.push(move);
    desk.redo = [];
    desk.moves += 1;
    say("已将 " + units.length + " 个单元划入「" + v.grids[target].name + "」 / moved", "wg-ok");
    render();
    return true;
  }
  desk.assign = assign;

  $("wg-desk-assign").addEventListener("click", assign);
  $("wg-desk-undo").addEventListener("click", function () {
    const move = desk.undo.pop();
    if (!move) return;
    apply(move, false);
    desk.redo.push(move);
    say("已撤销 undone", "wg-ok");
    render();
  });
  $("wg-desk-redo").addEventListener("click", function () {
    const move = desk.redo.pop();
    if (!move) return;
    apply(move, true);
    desk.undo.push(move);
    say("已重做 redone", "wg-ok");
    render();
  });
  document.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.target.tagName === "INPUT") return;
    if (e.key === "z" && !e.shiftKey) { $("wg-desk-undo").click(); e.preventDefault(); }
    if (e.key === "y" || (e.key === "Z" && e.shiftKey)) { $("wg-desk-redo").click(); e.preventDefault(); }
  });

  // ---- saving ----------------------------------------------------------------------------
  function edited() {
    const assignment = [];
    villages.forEach(function (v) {
      v.units.forEach(function (u, i) {
        if (v.grid[i] !== v.original[i]) assignment.push({ code: v.grids[v.grid[i]].code, ids: u.addresses });
      });
    });
    return assignment;
  }

  $("wg-desk-save").addEventListener("click", function () {
    const body = { assignment: {} };
    edited().forEach(function (e) {
      body.assignment[e.code] = (body.assignment[e.code] || []).concat(e.ids);
    });
    $("wg-desk-save").disabled = true;
    say("正在保存… saving", "");
    fetch("/api/v1/redraw/" + data.plan + "/versions", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    }).then(function (result) {
      if (!result.ok) {
        const detail = typeof result.json.detail === "string" ? result.json.detail
          : JSON.stringify(result.json.detail);
        say("服务器拒绝 refused by the server：" + detail, "wg-refused");
        renderPlan();
        return;
      }
      const saved = result.json;
      desk.saved = { plan: saved.plan, status: "proposed", version: saved.version,
        summary: saved.summary };
      say("已保存为方案 #" + saved.plan + "（第" + saved.version.version + "版）/ saved as plan " +
        saved.plan + "；刷新后在新版本上继续调整 reload to edit it further", "wg-ok");
      history.replaceState(null, "", "/maps/redraw/" + saved.plan + "/desk");
      renderPlan();
      $("wg-desk-save").disabled = true;
    }).catch(function (err) {
      say("保存失败 save failed：" + String(err), "wg-refused");
      renderPlan();
    });
  });

  render();
  desk.ready = true;
})();
