/*
 * Popups of the coverage and safety layers and the on-duty panel (maps/forces.py), added to
 * the page runtime of wangge.js. Inlined in the page so it works on a closed network.
 */
(function (W) {
  function row(label, value) {
    if (value === null || value === undefined || value === "") return "";
    return "<tr><th>" + W.esc(label) + "</th><td>" + W.esc(value) + "</td></tr>";
  }
  W.popups.coverage = function (p) {
    var forces = (p.forces || []).map(function (f) { return "<li>" + W.esc(f) + "</li>"; }).join("");
    var missing = (p.missing || []).map(function (m) { return "<li>" + W.esc(m) + "</li>"; }).join("");
    return '<div class="wg-popup"><h3>' + W.esc(p.name) + " <small>" + W.esc(p.code) + "</small></h3>" +
      '<table class="wg-kv">' + row("网格长 leader", p.leader) + row("户数 households", p.households) +
      row("力量 people", p.people) + row("户/人 households per person", p.households_per_person) +
      row("联防组 groups", p.household_groups) + "</table>" +
      (missing ? '<b class="wg-warn">缺少 missing</b><ul>' + missing + "</ul>" : "") +
      (forces ? "<b>力量 forces</b><ul>" + forces + "</ul>" : "") + "</div>";
  };
  W.popups.safety = function (p) {
    return '<div class="wg-popup"><h3>' + W.esc(p.name) + " <small>" + W.esc(p.code) + "</small></h3>" +
      '<table class="wg-kv">' + row("年度 year", p.year + (p.provisional ? "（截至目前 so far）" : "")) +
      row("达标 titles", p.awarded) + row("未达标 missed", p.missed) +
      row("证据 evidence", p.evidence) + "</table></div>";
  };
  W.addOnDutyPanel = function (map, key, position) {
    /* On the wall the list has its own place beside the map (#wg-duty) and scrolls there. */
    var host = document.getElementById("wg-duty");
    function fill(div) {
        W.onData(key, function (d) {
          var items = (d.features || []).map(function (f) {
            var p = f.properties;
            var people = (p.people || []).map(function (x) {
              return W.esc(x.post) + " " + W.esc(x.name);
            }).join("，");
            return "<li><b>" + W.esc(p.name) + "</b> " + (people || "无人值班 nobody") +
              (p.handover ? '<br><small>交班 handover: ' + W.esc(p.handover) + "</small>" : "") + "</li>";
          }).join("");
          div.innerHTML = '<div class="wg-title">值班备勤 on duty</div>' +
            (items ? "<ul>" + items + "</ul>" : '<div class="wg-nodata">暂无排班 / no shifts now</div>');
        });
    }
    if (host) {
      fill(host);
      return;
    }
    var Panel = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "wg-panel wg-on-duty");
        fill(div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    new Panel({ position: position || "bottomleft" }).addTo(map);
  };
})(window.wangge);
