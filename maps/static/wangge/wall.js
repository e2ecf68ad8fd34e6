/*
 * The command-room wall around the map: the figures strip (today, this week, this month),
 * the 26-week trend and the category breakdown (ECharts, served with the page), redrawn
 * whenever the "wall" dataset changes.
 */
(function (W) {
  "use strict";
  var esc = W.esc;
  var charts = [];

  function figure(label, value, warn) {
    var text = value === null || value === undefined ? "—" : value;
    return '<div class="wg-fig' + (warn ? " wg-fig-warn" : "") + '"><span class="wg-fig-label">' + esc(label) +
      '</span><span class="wg-fig-value">' + esc(text) + "</span></div>";
  }

  function strip(d) {
    var windows = (d.windows || []).map(function (w) {
      var rate = w.resolution_rate === null || w.resolution_rate === undefined ? null : w.resolution_rate + "%";
      return '<section class="wg-window" data-window="' + esc(w.key) + '"><h2>' + esc(w.label) + "</h2>" +
        figure("受理", w.screened) + figure("在办", w.still_open) + figure("逾期", w.overdue, w.overdue > 0) +
        figure("化解率", rate) + "</section>";
    }).join("");
    var notice = d.notice ? '<div class="wg-nodata">' + esc(d.notice) + "</div>" : "";
    return windows + notice + '<section class="wg-window" data-window="flagged"><h2>预警</h2>' +
      figure("预警网格", d.flagged_grids, d.flagged_grids > 0) + "</section>";
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var c = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "svg" });
    if (charts.indexOf(c) < 0) charts.push(c);
    c.setOption(option, true);
  }

  function fontPx() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }

  function drawCharts(d) {
    var px = fontPx();
    var axis = { color: "#cbd5e1", fontSize: Math.round(px * 0.75) };
    var trend = d.trend || { weeks: [], screened: [] };
    chart("wg-trend", {
      animation: false,
      title: { text: "近26周受理 weekly cases", textStyle: { color: "#e2e8f0", fontSize: Math.round(px * 0.85) } },
      grid: { left: px * 2.2, right: px * 0.8, top: px * 2.2, bottom: px * 1.6 },
      xAxis: { type: "category", data: trend.weeks, axisLabel: axis },
      yAxis: { type: "value", minInterval: 1, axisLabel: axis, splitLine: { lineStyle: { color: "#334155" } } },
      series: [{ type: "line", data: trend.screened, smooth: false, symbolSize: px * 0.3,
                 lineStyle: { color: "#38bdf8", width: Math.max(2, px / 8) }, itemStyle: { color: "#38bdf8" },
                 areaStyle: { color: "rgba(56,189,248,0.18)" } }],
    });
    var cats = (d.categories || []).slice().reverse();
    chart("wg-categories", {
      animation: false,
      title: { text: "类别 categories（近26周）", textStyle: { color: "#e2e8f0", fontSize: Math.round(px * 0.85) } },
      grid: { left: px * 4.8, right: px * 2, top: px * 2.2, bottom: px * 0.8 },
      xAxis: { type: "value", minInterval: 1, axisLabel: axis, splitLine: { lineStyle: { color: "#334155" } } },
      yAxis: { type: "category", data: cats.map(function (c) { return c.label; }), axisLabel: axis },
      series: [{ type: "bar", data: cats.map(function (c) { return c.screened; }), itemStyle: { color: "#fab005" },
                 label: { show: true, position: "right", color: "#e2e8f0", fontSize: axis.fontSize } }],
    });
  }

  /* The strip and charts of the wall from dataset `key`; `title` heads the strip. */
  W.addWall = function (key, title) {
    var head = document.getElementById("wg-wall-figures");
    document.getElementById("wg-wall-title").textContent = title;
    W.onData(key, function (d) {
      head.innerHTML = strip(d);
      if (d.trend) drawCharts(d);
    });
    window.addEventListener("resize", function () {
      var d = (W.datasets[key] || {}).data;
      charts.forEach(function (c) { c.resize(); });
      if (d && d.trend) drawCharts(d);
    });
  };
})(window.wangge);
