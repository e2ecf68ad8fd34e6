/*
 * wangge map runtime.
 *
 * Pages built by the Python package `maps` embed their data as "datasets" (GeoJSON
 * FeatureCollections with a `wangge` foreign member holding legend, palette and notices).
 * Layers subscribe to a dataset and redraw whenever it changes, so a page refreshes from
 * the API by re-fetching the same payloads on an interval, without reloading.
 */
(function () {
  "use strict";
  var W = (window.wangge = window.wangge || {});
  W.datasets = {};
  W.layerIndex = {};
  W.period = -1; /* -1: the latest period */
  W.periodListeners = [];

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  W.esc = esc;

  function metaOf(data) { return (data && data.wangge) || {}; }

  /* Record which dataset a layer draws and index it by role (for the legend and search). */
  function indexLayer(layer, key, role) {
    layer.wgKey = key;
    layer.wgRole = role;
    W.layerIndex[role] = layer;
  }

  /* ---------------------------------------------------------------- datasets */

  W.dataset = function (key, data, url) {
    var ds = W.datasets[key] || (W.datasets[key] = { key: key, listeners: [] });
    ds.data = data;
    ds.url = url || null;
    if (data) publish(ds);
    return ds;
  };

  W.onData = function (key, fn) {
    var ds = W.datasets[key] || W.dataset(key, null, null);
    ds.listeners.push(fn);
    if (ds.data) fn(ds.data);
  };

  function publish(ds) {
    ds.listeners.forEach(function (fn) { fn(ds.data); });
  }

  /* Re-fetch the datasets that have a URL (only the named ones when `only` is given);
     failures are shown on the map, not thrown. */
  W.refresh = function (only) {
    var jobs = Object.keys(W.datasets).map(function (key) {
      var ds = W.datasets[key];
      if (!ds.url || (only && only.indexOf(key) < 0)) return Promise.resolve();
      return fetch(ds.url, { cache: "no-store", credentials: "same-origin",
                             headers: { Accept: "application/geo+json, application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error(ds.key + ": HTTP " + r.status);
          return r.json();
        })
        .then(function (d) { ds.data = d; ds.error = null; publish(ds); })
        .catch(function (e) { ds.error = String((e && e.message) || e); });
    });
    return Promise.all(jobs).then(function () {
      W.lastRefresh = new Date();
      W.refreshCount = (W.refreshCount || 0) + 1;
      W.updateStatus();
    });
  };

  W.startRefresh = function (seconds) {
    if (W.timer) clearInterval(W.timer);
    if (seconds > 0) W.timer = setInterval(function () { W.tick(); }, seconds * 1000);
  };
  W.tick = function () { return W.live ? W.checkVersions() : W.refresh(); };

  /* Live pages: `sources` maps each dataset to the data versions it is drawn from ([] for
     datasets that follow the clock, such as who is on duty). A change of version, pushed by
     server-sent events or found by the periodic check, re-fetches only the datasets drawn
     from it. */
  W.startLive = function (o) {
    W.live = o;
    W.versions = null;
    if (window.EventSource && o.events) {
      var source = new EventSource(o.events, { withCredentials: true });
      source.addEventListener("versions", function (ev) { W.applyVersions(JSON.parse(ev.data)); });
      W.eventSource = source;
    }
    W.startRefresh(o.seconds || 60);
  };

  W.applyVersions = function (versions) {
    var before = W.versions;
    W.versions = versions;
    if (!before) return Promise.resolve();
    var changed = Object.keys(versions).filter(function (k) { return versions[k] !== before[k]; });
    var sources = W.live.sources || {};
    var due = Object.keys(W.datasets).filter(function (key) {
      var from = sources[key] || [];
      return from.some(function (v) { return changed.indexOf(v) >= 0; });
    });
    return due.length ? W.refresh(due) : Promise.resolve();
  };

  /* The periodic check: new versions, plus the datasets that follow the clock. */
  W.checkVersions = function () {
    var sources = W.live.sources || {};
    var clock = Object.keys(W.datasets).filter(function (k) { return (sources[k] || []).length === 0; });
    return fetch(W.live.versions, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) { return v ? W.applyVersions(v) : W.refresh(); })
      .then(function () { return clock.length ? W.refresh(clock) : W.updateStatus(); });
  };

  /* ------------------------------------------------------------ status panel */

  W.updateStatus = function () {
    var keys = Object.keys(W.datasets);
    var synthetic = keys.some(function (k) { return metaOf(W.datasets[k].data).synthetic; });
    document.querySelectorAll(".wg-synthetic").forEach(function (el) { el.hidden = !synthetic; });
    var items = [];
    keys.forEach(function (k) {
      var ds = W.datasets[k];
      (metaOf(ds.data).notices || []).forEach(function (n) {
        items.push('<li class="wg-nodata" data-layer="' + esc(k) + '">' + esc(n) + "</li>");
      });
      if (ds.error) items.push('<li class="wg-error" data-layer="' + esc(k) + '">刷新失败 / refresh failed: ' + esc(ds.error) + "</li>");
    });
    document.querySelectorAll(".wg-status").forEach(function (el) { el.innerHTML = items.join(""); });
    var stamp = W.lastRefresh || W.loadedAt;
    document.querySelectorAll(".wg-updated").forEach(function (el) {
      el.textContent = stamp ? "数据时间 / data as of " + stamp.toLocaleTimeString("zh-CN", { hour12: false }) : "";
    });
  };

  /* --------------------------------------------------------------- colours */

  function colourOf(p, meta) {
    var palette = meta.palette || [];
    if (p.cls === null || p.cls === undefined || p.cls < 0 || p.cls >= palette.length) {
      return meta.nodata_colour || "#4b5563";
    }
    return palette[p.cls];
  }
  W.colourOf = colourOf;

  function mapBackground(el) {
    var box = el.closest(".leaflet-container") || document.querySelector(".leaflet-container");
    var bg = box ? getComputedStyle(box).backgroundColor : "rgb(255, 255, 255)";
    return bg === "rgba(0, 0, 0, 0)" ? "rgb(255, 255, 255)" : bg;
  }
  /* ---------------------------------------------------------------- popups */

  function row(label, value) {
    if (value === null || value === undefined || value === "") return "";
    return "<tr><th>" + esc(label) + "</th><td>" + esc(value) + "</td></tr>";
  }
  function table(rows) { return '<table class="wg-kv">' + rows.join("") + "</table>"; }
  /* Reasons as a list, leaving out anything that is not words (null, "None", "nan"). */
  function reasonList(reasons) {
    var items = (reasons || []).filter(function (r) {
      return r !== null && r !== undefined && ["", "none", "nan", "null", "undefined"].indexOf(String(r).trim().toLowerCase()) < 0;
    });
    if (!items.length) return "";
    if (items.length === 1) return '<p class="wg-explain">' + esc(items[0]) + "</p>";
    return '<ul class="wg-explain">' + items.map(function (r) { return "<li>" + esc(r) + "</li>"; }).join("") + "</ul>";
  }
  function fmt(x, digits) { return x === null || x === undefined ? null : Number(x).toFixed(digits); }

  /* 位置待核实: the unit a case without a certain grid went to, and its conflicts in words. */
  function locationCheck(p) {
    if (!p.location_status) return "";
    var unit = p.location_unit ? '<p>已转至 routed to ' + esc(p.location_unit) + "</p>" : "";
    return '<div class="wg-location-check"><b>' + esc(p.location_status) + "</b>" + unit + reasonList(p.location_flags) + "</div>";
  }

  W.popups = {
    grid: function (p) {
      var factors = (p.factors || []).map(function (f) { return "<li>" + esc(f) + "</li>"; }).join("");
      return '<div class="wg-popup wg-popup-grid"><h3>' + esc(p.name) + ' <small>' + esc(p.code) + "</small></h3>" +
        table([row("村/社区 village", p.village), row("网格长 leader", p.leader || "未登记 / not recorded"),
               row("户数 households", p.households), row("人口 population", p.population),
               row("在办案件 open cases", p.open_cases),
               row("风险 risk", p.level ? p.level + "：" + p.expected + (p.rank ? "，全县第" + p.rank + "位（共" + p.of + "格）" : "") : "暂无评分 / not scored")]) +
        (factors ? '<div class="wg-factors"><b>主要因素 top factors</b><ol>' + factors + "</ol></div>" : "") + "</div>";
    },
    dispute: function (p) {
      var overdue = p.overdue ? '<div class="wg-overdue-note">已逾期 ' + esc(p.days_overdue) + " 天 / overdue</div>" : "";
      return '<div class="wg-popup wg-popup-dispute"><h3>案件 case ' + esc(p.case) + "</h3>" + overdue +
        table([row("类别 category", p.category), row("等级 severity", p.severity), row("状态 status", p.status_label),
               row("受理 reported", p.reported), row("时限 deadline", p.deadline), row("地点 location", p.location),
               row("网格 grid", p.grid_name ? p.grid_name + " (" + p.grid + ")" : p.grid),
               row("网格长 grid leader", p.leader || "未登记 / not recorded"),
               row("承办 assignee", p.assignee)]) + locationCheck(p) +
        '<div class="wg-dispatch"><b>派单建议 dispatch</b><p>' + esc(p.dispatch || "暂无建议 / no recommendation yet") + "</p></div></div>";
    },
    facility: function (p) {
      return '<div class="wg-popup"><h3>' + esc(p.name) + "</h3>" + table([row("类型 kind", p.kind_label), row("编码 code", p.code)]) + "</div>";
    },
    hotspot: function (p) {
      return '<div class="wg-popup wg-popup-hotspot"><h3>' + esc(p.name) + " <small>" + esc(p.code) + "</small></h3>" +
        table([row("类型 class", p.class_label), row("方法 methods", (p.methods || []).join("、")),
               row("周期 period", p.period),
               row("风险 risk", p.level ? p.level + "：" + p.expected : null),
               row("Gi* z", fmt(p.z, 2)), row("审核 review", p.status_label)]) +
        reasonList(p.reasons || [p.explanation]) + "</div>";
    },
    redraw: function (p) {
      return '<div class="wg-popup"><h3>' + esc(p.name || p.code) + " <small>" + esc(p.code) + "</small></h3>" +
        table([row("户数 households", p.households), row("人口 population", p.population),
               row("变化 change", p.changed ? "调整 / changed" : "未变 / unchanged")]) + "</div>";
    },
  };

  /* ---------------------------------------------------------------- layers */

  function matches(f, filter) {
    if (!filter) return true;
    return Object.keys(filter).every(function (k) {
      var want = filter[k];
      return Array.isArray(want) ? want.indexOf(f.properties[k]) >= 0 : f.properties[k] === want;
    });
  }

  function polygonStyle(p, meta, o) {
    if (o.mode === "outline") {
      var dash = o.dash || (meta.dashes || [])[p.cls] || null;
      return { color: o.colour || colourOf(p, meta), weight: o.weight || 1, opacity: o.opacity || 0.9,
               dashArray: dash, fill: !!o.fillOpacity, fillColor: o.colour || colourOf(p, meta),
               fillOpacity: o.fillOpacity || 0 };
    }
    return { color: o.stroke || "#94a3b8", weight: o.weight || 0.6, opacity: 0.8,
             fillColor: colourOf(p, meta), fillOpacity: o.fillOpacity === undefined ? 0.6 : o.fillOpacity };
  }

  /* Polygons of one dataset (optionally filtered), styled from the dataset's palette. */
  W.polygons = function (map, key, o) {
    o = o || {};
    var meta = {};
    var layer = L.geoJSON(null, {
      interactive: !!(o.popup || o.tooltip),
      filter: function (f) { return matches(f, o.filter); },
      style: function (f) { return polygonStyle(f.properties, meta, o); },
      onEachFeature: function (f, l) {
        if (o.popup) l.bindPopup(function () { return W.popups[o.popup](f.properties, meta); }, { maxWidth: 360 });
        if (o.tooltip) l.bindTooltip(esc(f.properties[o.tooltip]), { sticky: true, className: "wg-tip" });
        if (o.label && f.properties[o.label] !== undefined) {
          l.bindTooltip(esc(f.properties[o.label]), { permanent: true, direction: "center", className: "wg-label" });
        }
      },
    });
    indexLayer(layer, key, o.role || key);
    W.onData(key, function (d) {
      meta = metaOf(d);
      layer.clearLayers();
      layer.addData(d.features || []);
    });
    return layer;
  };

  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var n = children.length;
    var overdue = children.filter(function (m) { return m.feature.properties.overdue; }).length;
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>" + (overdue ? '<b class="wg-od-badge" title="逾期 overdue">' + overdue + "</b>" : ""),
      className: "marker-cluster marker-cluster-" + size + (overdue ? " wg-cluster-overdue" : ""),
      iconSize: L.point(40, 40),
    });
  }

  /* Open cases counted per grid: below the payload's bubble_zoom one bubble per grid (at a
     point inside it, ringed and badged when any case is overdue), the points from it on; a
     layer of fewer than bubble_min_cases cases stays points.
     `holder` is what the map and the layer list hold; it shows one or the other. */
  W.gridBubbles = function (map, points, role) {
    var bubbles = L.featureGroup();
    var holder = L.layerGroup([points]);
    var threshold = 14, enough = true;
    W.layerIndex[role + "_grids"] = bubbles;
    function show() {
      var low = enough && map.getZoom() < threshold && bubbles.getLayers().length > 0;
      var on = low ? bubbles : points, off = low ? points : bubbles;
      if (holder.hasLayer(off)) holder.removeLayer(off);
      if (!holder.hasLayer(on)) holder.addLayer(on);
    }
    map.on("zoomend", show);
    function bubble(b) {
      var size = Math.round(22 + 6 * Math.log10(b.n + 1) * 2);
      var tip = b.name + "：在办 " + b.n + " 件" + (b.overdue ? "，逾期 " + b.overdue + " 件" : "") +
        " / open " + b.n + (b.overdue ? ", overdue " + b.overdue : "");
      var icon = L.divIcon({
        className: "wg-grid-bubble" + (b.overdue ? " wg-cluster-overdue" : ""),
        html: "<span>" + esc(b.n) + "</span>" +
          (b.overdue ? '<b class="wg-od-badge" title="逾期 overdue">' + esc(b.overdue) + "</b>" : ""),
        iconSize: [size, size],
      });
      var marker = L.marker([b.at[1], b.at[0]], { icon: icon, title: tip, alt: tip, keyboard: true });
      marker.grid = b;
      marker.on("click", function () { map.setView(marker.getLatLng(), threshold); });
      return marker;
    }
    return {
      holder: holder,
      draw: function (meta) {
        threshold = meta.bubble_zoom || threshold;
        var cases = (meta.grid_bubbles || []).reduce(function (n, b) { return n + b.n; }, 0);
        enough = cases >= (meta.bubble_min_cases || 0);
        bubbles.clearLayers();
        (meta.grid_bubbles || []).forEach(function (b) { bubbles.addLayer(bubble(b)); });
        show();
      },
    };
  };

  /* Point features as small coloured symbols; clustered when o.cluster. */
  W.points = function (map, key, o) {
    o = o || {};
    var meta = {};
    var group = o.cluster
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: o.clusterRadius || 45,
                               chunkedLoading: true, iconCreateFunction: clusterIcon })
      : L.featureGroup();
    indexLayer(group, key, o.role || key);
    var gridBubbles = o.byGrid ? W.gridBubbles(map, group, o.role || key) : null;
    W.onData(key, function (d) {
      meta = metaOf(d);
      group.clearLayers();
      var markers = (d.features || []).filter(function (f) { return f.geometry && matches(f, o.filter); }).map(function (f) {
        var p = f.properties;
        var c = f.geometry.coordinates;
        var size = o.size || 16;
        if (o.vector) {
          /* hundreds of facilities: SVG circles draw far faster than HTML icons */
          var dot = L.circleMarker([c[1], c[0]], {
            radius: size / 2, color: "#f8fafc", weight: 1.5, fillColor: colourOf(p, meta), fillOpacity: 0.95,
            className: "wg-pt-" + (o.role || key),
          });
          dot.feature = f;
          if (o.popup) dot.bindPopup(function () { return W.popups[o.popup](p, meta); }, { maxWidth: 360 });
          if (p.title) dot.bindTooltip(esc(p.title), { className: "wg-tip" });
          return dot;
        }
        var icon = L.divIcon({
          className: "wg-pt wg-pt-" + esc(o.role || key) + (p.overdue ? " wg-overdue" : "") + (p.unverified ? " wg-unverified" : ""),
          html: '<span style="background:' + esc(colourOf(p, meta)) + '">' + esc(p.glyph || "") + "</span>",
          iconSize: [size, size],
        });
        var marker = L.marker([c[1], c[0]], { icon: icon, keyboard: false, title: p.title || "" });
        marker.feature = f;
        if (o.popup) marker.bindPopup(function () { return W.popups[o.popup](p, meta); }, { maxWidth: 360 });
        return marker;
      });
      if (o.cluster) group.addLayers(markers);
      else markers.forEach(function (m) { group.addLayer(m); });
      if (gridBubbles) gridBubbles.draw(meta);
    });
    if (gridBubbles) return gridBubbles.holder;
    return group;
  };

  /* ---------------------------------------------------------------- controls */

  W.addPanel = function (map, o) {
    var Panel = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "wg-panel");
        div.innerHTML = (o.title ? '<div class="wg-title">' + esc(o.title) + "</div>" : "") +
          (o.subtitle ? '<div class="wg-subtitle">' + esc(o.subtitle) + "</div>" : "") +
          '<div class="wg-synthetic" hidden>模拟数据 · synthetic data</div>' +
          '<ul class="wg-status"></ul><div class="wg-updated"></div>';
        L.DomEvent.disableClickPropagation(div);
        return div;
      },
    });
    new Panel({ position: o.position || "topleft" }).addTo(map);
    W.fitToScreen(map);
    W.loadedAt = W.loadedAt || new Date();
    W.updateStatus();
  };

  /* Keep the map's size (and its vector layer's drawn area) in step with the window, so a
     4K wall or a resized window is drawn to the edge; no flag in the credit. */
  W.fitToScreen = function (map) {
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    var resize = function () { map.invalidateSize({ pan: false }); };
    window.addEventListener("resize", resize);
    setTimeout(resize, 0);
  };

  W.addLegend = function (map, entries, position) {
    var Legend = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "wg-legend-box");
        entries.forEach(function (e) {
          var box = L.DomUtil.create("div", "wg-legend", div);
          box.setAttribute("data-layer", e.field ? e.key + "." + e.field : e.key);
          W.onData(e.key, function (d) {
            var meta = metaOf(d);
            var entries = e.field ? (meta.legends || {})[e.field] : meta.legend;
            var title = e.field ? (meta.legend_titles || {})[e.field] : meta.legend_title;
            var background = mapBackground(div);
            var items = (entries || []).map(function (it) {
              if (it.shape === "line") {
                return '<li><svg class="wg-sw-line" viewBox="0 0 28 10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" stroke="' +
                  esc(it.colour) + '" stroke-width="3" stroke-dasharray="' + esc(it.dash || "") + '"/></svg>' + esc(it.label) + "</li>";
              }
              if (it.opacity) {
                /* drawn the way the map draws a fill: the colour at its opacity over the map's background */
                return '<li><svg class="wg-sw" viewBox="0 0 14 12" aria-hidden="true"><rect width="14" height="12" fill="' +
                  esc(background) + '"/><rect width="14" height="12" fill="' + esc(it.colour) + '" fill-opacity="' +
                  esc(it.opacity) + '"/></svg>' + esc(it.label) + "</li>";
              }
              var colour = it.colour;
              var shape = it.shape === "dot" ? "wg-sw-dot" : "wg-sw";
              return '<li><i class="' + shape + '" style="--c:' + esc(colour) + '"></i>' + esc(it.label) + "</li>";
            }).join("");
            box.innerHTML = "<b>" + esc(title || e.title || e.key) + "</b>" +
              (items ? "<ul>" + items + "</ul>" : '<div class="wg-nodata">暂无数据 / no data yet</div>');
          });
        });
        L.DomEvent.disableClickPropagation(div);
        return div;
      },
    });
    new Legend({ position: position || "bottomright" }).addTo(map);
  };

  /* Search box over grid and village names/codes: zooms to the match and opens its popup. */
  W.addSearch = function (map, roles, position) {
    function candidates() {
      var out = [];
      roles.forEach(function (role) {
        var layer = W.layerIndex[role];
        if (!layer) return;
        layer.eachLayer(function (l) {
          var p = l.feature && l.feature.properties;
          if (p) out.push({ label: p.name + " " + p.code, name: p.name, code: p.code, layer: l });
        });
      });
      return out;
    }
    var Search = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "wg-search");
        var listId = "wg-search-list-" + L.stamp(div);
        div.innerHTML = '<input type="search" class="wg-search-input" placeholder="搜索网格/村 search grid or village" list="' + listId +
          '" aria-label="search grid or village"><datalist id="' + listId + '"></datalist><div class="wg-search-msg"></div>';
        var input = div.querySelector("input");
        var list = div.querySelector("datalist");
        var msg = div.querySelector(".wg-search-msg");
        input.addEventListener("focus", function () {
          list.innerHTML = candidates().slice(0, 5000).map(function (c) { return '<option value="' + esc(c.label) + '">'; }).join("");
        });
        function go() {
          var q = input.value.trim();
          if (!q) return;
          var all = candidates();
          var hit = all.find(function (c) { return c.label === q || c.code === q || c.name === q; }) ||
                    all.find(function (c) { return c.label.indexOf(q) >= 0; });
          if (!hit) { msg.textContent = "未找到 / not found"; return; }
          msg.textContent = "";
          map.fitBounds(hit.layer.getBounds(), { maxZoom: 15 });
          if (hit.layer.getPopup()) hit.layer.openPopup();
        }
        input.addEventListener("change", go);
        input.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
        L.DomEvent.disableClickPropagation(div);
        setTimeout(function () { fitPlaceholder(input); }, 0);
        return div;
      },
    });
    placeControl(map, new Search({ position: position || "topright" }), position);
  };

  /* A control on the map at a corner ("topright"), or in a page element ("#id") instead. */
  function placeControl(map, control, position) {
    if (!position || position.charAt(0) !== "#") { control.addTo(map); return; }
    var holder = document.querySelector(position);
    holder.appendChild(control.onAdd(map));
  }

  /* Widen a search box to show its whole placeholder (it is the only hint of what it finds). */
  function fitPlaceholder(input) {
    var style = getComputedStyle(input);
    var canvas = fitPlaceholder.canvas || (fitPlaceholder.canvas = document.createElement("canvas"));
    var context = canvas.getContext("2d");
    context.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    var needed = Math.ceil(context.measureText(input.placeholder).width +
      parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) +
      parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth) + 24);
    if (input.getBoundingClientRect().width < needed) input.style.minWidth = needed + "px";
  }
  W.fitPlaceholder = fitPlaceholder;

  W.fitTo = function (map, roles) {
    var bounds = null;
    roles.forEach(function (role) {
      var layer = W.layerIndex[role];
      if (!layer || !layer.getLayers().length) return;
      var b = layer.getBounds();
      bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  };

  /* Keep two maps at the same centre and zoom. */
  W.syncMaps = function (a, b) {
    var busy = false;
    function follow(src, dst) {
      src.on("move zoomend", function () {
        if (busy) return;
        busy = true;
        dst.setView(src.getCenter(), src.getZoom(), { animate: false });
        busy = false;
      });
    }
    follow(a, b);
    follow(b, a);
  };

  /* ------------------------------------------------------ periods (hotspots) */

  W.onPeriod = function (fn) { W.periodListeners.push(fn); };
  W.setPeriod = function (i) {
    W.period = i;
    W.periodListeners.forEach(function (fn) { fn(i); });
  };

  /* Grid polygons whose colour comes from a per-period table in the dataset's meta:
     meta.periods = [...]; meta.values[period][code] = {field: cls, ...}. */
  W.periodIndex = function (periods) {
    return W.period < 0 || W.period >= periods.length ? periods.length - 1 : W.period;
  };

  W.periodic = function (map, key, o) {
    var meta = {};
    function valuesOf(code) {
      var period = (meta.periods || [])[W.periodIndex(meta.periods || [])];
      var table = (meta.values || {})[period] || {};
      return table[code] || null;
    }
    function style(f) {
      var v = valuesOf(f.properties.code);
      var cls = v ? v[o.field] : null;
      var palette = (meta.palettes || {})[o.field] || [];
      if (o.mode === "outline") {
        var on = v && v.flagged;
        var dash = on ? ((meta.dashes || {})[o.field] || [])[cls] || null : null;
        return { color: on ? palette[cls] || "#ffffff" : "#000", weight: on ? 3 : 0, opacity: on ? 1 : 0,
                 dashArray: dash, fill: false };
      }
      return { color: "#94a3b8", weight: 0.5, opacity: 0.7,
               fillColor: cls === null || cls === undefined ? meta.nodata_colour || "#4b5563" : palette[cls],
               fillOpacity: (meta.fill_opacities || {})[o.field] || 0.85 };
    }
    var layer = L.geoJSON(null, {
      style: style,
      onEachFeature: function (f, l) {
        l.bindPopup(function () {
          var v = valuesOf(f.properties.code) || {};
          var props = Object.assign({}, f.properties, v, { period: (meta.periods || [])[W.periodIndex(meta.periods || [])] });
          return W.popups.hotspot(props, meta);
        }, { maxWidth: 360 });
      },
    });
    indexLayer(layer, key, o.role);
    W.onData(key, function (d) {
      meta = metaOf(d);
      layer.clearLayers();
      layer.addData(d.features || []);
    });
    W.onPeriod(function () { layer.setStyle(style); });
    return layer;
  };

  /* A list of the grids flagged in the current period; a click opens the grid's popup. */
  W.addFlaggedList = function (map, key, role, position) {
    var List = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "wg-panel wg-flagged");
        function render() {
          var d = (W.datasets[key] || {}).data;
          var meta = metaOf(d);
          var period = (meta.periods || [])[W.periodIndex(meta.periods || [])];
          var table = (meta.values || {})[period] || {};
          var names = {};
          ((d && d.features) || []).forEach(function (f) { names[f.properties.code] = f.properties.name; });
          var rows = Object.keys(table).filter(function (c) { return table[c].flagged; }).map(function (c) {
            var v = table[c];
            var tags = (v.methods || []).map(function (m) { return '<span class="wg-tag">' + esc(m) + "</span>"; }).join("");
            return '<li data-code="' + esc(c) + '" tabindex="0"><b>' + esc(names[c] || c) + "</b> " + esc(v.class_label || "") +
              tags + ' <span class="wg-review">' + esc(v.status_label || "") + "</span></li>";
          });
          div.innerHTML = "<b>预警网格 flagged grids (" + rows.length + ")</b>" +
            (rows.length ? "<ol>" + rows.join("") + "</ol>" : '<div class="wg-nodata">本期无预警 / none flagged this period</div>');
        }
        div.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" && ev.target.matches("li[data-code]")) ev.target.click();
        });
        div.addEventListener("click", function (ev) {
          var li = ev.target.closest("li[data-code]");
          if (!li) return;
          var layer = W.layerIndex[role];
          layer.eachLayer(function (l) {
            if (l.feature.properties.code === li.getAttribute("data-code")) {
              map.fitBounds(l.getBounds(), { maxZoom: 14 });
              l.openPopup();
            }
          });
        });
        W.onData(key, render);
        W.onPeriod(render);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    placeControl(map, new List({ position: position || "topright" }), position);
  };

  W.addPeriodSlider = function (key, element) {
    var holder = document.querySelector(element);
    W.onData(key, function (d) {
      var periods = metaOf(d).periods || [];
      if (!periods.length) {
        holder.innerHTML = '<span class="wg-nodata">暂无周期数据 / no periods yet</span>';
        return;
      }
      holder.innerHTML = '<label>周期 period <input type="range" class="wg-period" min="0" max="' + (periods.length - 1) +
        '" step="1" value="' + W.periodIndex(periods) + '"></label> <output class="wg-period-label"></output>';
      var input = holder.querySelector("input");
      var out = holder.querySelector("output");
      function show() { out.textContent = periods[W.periodIndex(periods)]; }
      input.addEventListener("input", function () { W.setPeriod(Number(input.value)); show(); });
      show();
    });
  };
})();
