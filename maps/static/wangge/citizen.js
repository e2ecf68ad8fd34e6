/* The citizens' pages (/report, /report/follow): plain script, no framework.
 * Everything a citizen or the database wrote is shown with textContent, never as HTML.
 * The follow-up token lives in the link's fragment (#t=...), so it is never sent in a URL:
 * the page posts it in a request body. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("citizen-config").textContent);

  function el(id) { return document.getElementById(id); }

  function make(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function showProblem(message) {
    var box = el("problem");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function call(method, path, body) {
    var options = { method: method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(config.api + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var detail = typeof data.detail === "string" ? data.detail : "提交的内容有误，请检查后再试";
          var error = new Error(detail);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function baseMap(container) {
    var map = L.map(container, { zoomControl: true, attributionControl: !!config.basemap });
    if (config.basemap) {
      L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution || "", maxZoom: 18 })
        .addTo(map);
    }
    map.setView([35, 104], 4);
    call("GET", "/outline").then(function (outline) {
      var layer = L.geoJSON(outline, {
        style: { color: "#55708a", weight: 1, fillColor: "#dfe8ef", fillOpacity: 0.35 },
        interactive: false
      }).addTo(map);
      if (layer.getLayers().length) map.fitBounds(layer.getBounds());
      map.fire("outline-ready");
    }).catch(function () { map.fire("outline-ready"); });
    return map;
  }

  /* ---- /report ------------------------------------------------------------------------ */

  function reportPage() {
    var state = { lon: null, lat: null, category: null, ticket: null };
    var map = baseMap("pick-map");
    var marker = null;
    window.citizenMap = map;

    if (config.public_map) {
      call("GET", "/resolved").then(function (dots) {
        L.geoJSON(dots, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 5, color: "#2e7d32", weight: 1,
                                            fillOpacity: 0.6, interactive: false });
          }
        }).addTo(map);
      }).catch(function () {});
    }

    function pick(lat, lon, how) {
      state.lat = Math.round(lat * 1e6) / 1e6;
      state.lon = Math.round(lon * 1e6) / 1e6;
      if (marker) marker.setLatLng([lat, lon]);
      else marker = L.circleMarker([lat, lon], { radius: 9, color: "#c62828", weight: 3,
                                                  fillOpacity: 0.5 }).addTo(map);
      el("picked").textContent = how + "：" + state.lat.toFixed(5) + ", " + state.lon.toFixed(5);
      el("picked").classList.add("ok");
      lookSimilar();
    }

    map.on("click", function (event) { pick(event.latlng.lat, event.latlng.lng, "已选位置"); });
    el("locate-me").addEventListener("click", function () {
      if (!navigator.geolocation) { showProblem("这台手机不支持定位，请在地图上点选位置"); return; }
      el("picked").textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        map.setView([c.latitude, c.longitude], 16);
        pick(c.latitude, c.longitude, "我的位置");
      }, function () {
        el("picked").textContent = "定位失败，请在地图上点选位置";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });

    var choices = el("categories");
    config.categories.forEach(function (category) {
      var label = make("label", null, "choice");
      var input = make("input");
      input.type = "radio";
      input.name = "category";
      input.value = category.code;
      input.addEventListener("change", function () { state.category = category.code; lookSimilar(); });
      var words = make("span", null, "choice-words");
      words.appendChild(make("strong", category.label));
      words.appendChild(make("small", category.hint));
      label.appendChild(input);
      label.appendChild(words);
      choices.appendChild(label);
    });

    function lookSimilar() {
      if (state.lon === null || !state.category) return;
      var query = "?lon=" + state.lon + "&lat=" + state.lat +
                  "&category=" + encodeURIComponent(state.category);
      call("GET", "/nearby" + query).then(function (found) {
        var list = el("similar-list");
        list.replaceChildren();
        found.items.forEach(function (item) {
          list.appendChild(make("li", item.category_label + " · " + item.status_label + " · 距此约 " +
                                item.metres + " 米 · " + item.reported_on + " 上报"));
        });
        el("similar").hidden = found.items.length === 0;
      }).catch(function () { el("similar").hidden = true; });
    }

    function newQuestion() {
      el("answer").value = "";
      return call("GET", "/challenge").then(function (challenge) {
        state.ticket = challenge.ticket;
        el("question").textContent = challenge.question;
      }).catch(function (error) { showProblem(error.message); });
    }
    el("new-question").addEventListener("click", newQuestion);
    newQuestion();

    el("description").addEventListener("input", function () {
      el("count").textContent = String(el("description").value.length);
    });

    el("submit").addEventListener("click", function () {
      showProblem("");
      if (state.lon === null) { showProblem("请先在地图上选择位置"); return; }
      if (!state.category) { showProblem("请选择问题类别"); return; }
      var description = el("description").value.trim();
      if (description.length < 5) { showProblem("请把情况写得具体一些（至少 5 个字）"); return; }
      if (!el("answer").value.trim()) { showProblem("请回答小问题"); return; }
      var button = el("submit");
      button.disabled = true;
      button.textContent = "正在提交…";
      call("POST", "/reports", {
        lon: state.lon, lat: state.lat, category: state.category, description: description,
        phone: el("phone").value.trim() || null, website: el("website").value,
        ticket: state.ticket, answer: el("answer").value.trim()
      }).then(function (filed) {
        var link = location.origin + config.follow_page + "#t=" + encodeURIComponent(filed.token);
        el("case-number").textContent = filed.case_number;
        el("follow-link").textContent = link;
        el("follow-link").href = link;
        el("report").hidden = true;
        el("done").hidden = false;
        window.scrollTo(0, 0);
      }).catch(function (error) {
        showProblem(error.message);
        button.disabled = false;
        button.textContent = "提交";
        newQuestion();
      });
    });

    el("copy-link").addEventListener("click", function () {
      var text = el("follow-link").textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
      el("copy-link").textContent = "已复制";
    });
  }

  /* ---- /report/follow ----------------------------------------------------------------- */

  function followPage() {
    var match = /(?:^#|&)t=([^&]+)/.exec(location.hash);
    var token = match ? decodeURIComponent(match[1]) : null;
    var score = null;
    if (!token) { showProblem("链接不完整，请使用上报后得到的完整查询链接"); return; }

    function render(view) {
      el("case-number").textContent = view.case_number;
      el("status").textContent = view.status_label;
      el("category").textContent = view.category_label;
      el("place").textContent = view.place || "待核实";
      el("reported").textContent = (view.reported_at || "").replace("T", " ").slice(0, 16);
      el("deadline").textContent = (view.deadline || "—").replace("T", " ").slice(0, 16);
      var history = el("history");
      history.replaceChildren();
      view.history.forEach(function (step) {
        var item = make("li");
        item.appendChild(make("span", (step.at || "").replace("T", " ").slice(0, 16), "when"));
        item.appendChild(make("span", step.label, "what"));
        history.appendChild(item);
      });
      el("case").hidden = false;
      el("rate").hidden = !view.may_rate;
      el("rated").hidden = !view.rating;
      if (view.rating) {
        el("rated-score").textContent = view.rating.satisfaction + " 分（满分 5 分）";
        el("rated-comment").textContent = view.rating.comment || "";
      }
    }

    var stars = el("stars");
    ["很不满意", "不满意", "一般", "满意", "很满意"].forEach(function (words, index) {
      var label = make("label", null, "star");
      var input = make("input");
      input.type = "radio";
      input.name = "score";
      input.value = String(index + 1);
      input.addEventListener("change", function () { score = index + 1; });
      label.appendChild(input);
      label.appendChild(make("span", (index + 1) + " 分 " + words));
      stars.appendChild(label);
    });

    el("send-rating").addEventListener("click", function () {
      showProblem("");
      if (!score) { showProblem("请选择 1 到 5 分"); return; }
      call("POST", "/rating", {
        token: token, satisfaction: score, comment: el("comment").value.trim() || null
      }).then(render).catch(function (error) { showProblem(error.message); });
    });

    call("POST", "/follow", { token: token }).then(render)
      .catch(function (error) { showProblem(error.message); });
  }

  if (config.page === "report") reportPage();
  else followPage();
})();
