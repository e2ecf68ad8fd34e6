/* The intake page (/intake): upload a ledger, preview each row's outcome, commit.
 *
 * Every text from the file or the server is put in with textContent, never as HTML.
 * The preview is a dry run (nothing stored); the commit sends the same file again with the
 * preview's fingerprint, so the server stores exactly what was shown or nothing (409).
 */
(function () {
  "use strict";

  const OUTCOME_ORDER = ["accepted", "needs_location", "duplicate", "already_present", "refused"];
  const COUNT_LABELS = {
    rows: "数据行 rows",
    accepted: "可受理 accepted",
    needs_location: "位置待核实 needs a location",
    duplicate: "疑似重复 possible duplicate",
    already_present: "已登记 already stored",
    refused: "不予受理 refused",
    skipped: "已跳过 skipped",
    stored: "已写入 stored",
  };

  const byId = (id) => document.getElementById(id);
  const main = byId("intake");
  const form = byId("upload-form");
  const fileInput = byId("file");
  const status = byId("status");
  const problem = byId("problem");
  const previewSection = byId("preview");
  const resultSection = byId("result");
  const commitButton = byId("commit");
  const previewButton = byId("preview-button");
  const maxBytes = Number(main.dataset.maxBytes || 0);

  let current = null; // {file, kind, token}

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function chosenKind() {
    const checked = form.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "disputes";
  }

  function endpoint(kind) {
    return kind === "signals" ? main.dataset.signals : main.dataset.disputes;
  }

  function busy(on, text) {
    previewButton.disabled = on;
    commitButton.disabled = on;
    status.textContent = text || "";
    main.setAttribute("aria-busy", on ? "true" : "false");
  }

  function showProblem(message, problems) {
    problem.replaceChildren(el("p", message));
    if (problems && problems.length) {
      const list = el("ul");
      for (const p of problems) {
        const where = [];
        if (p.row !== null && p.row !== undefined) where.push("第 " + p.row + " 行 row " + p.row);
        if (p.field) where.push("列 column “" + p.field + "”");
        list.appendChild(el("li", (where.length ? where.join("，") + "：" : "") + p.reason));
      }
      problem.appendChild(list);
    }
    problem.hidden = false;
  }

  function clearProblem() {
    problem.hidden = true;
    problem.replaceChildren();
  }

  function detailText(body, response) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) {
      return body.detail.map((d) => (d.loc || []).join(".") + ": " + d.msg).join("；");
    }
    return "请求失败 request failed (HTTP " + response.status + ")";
  }

  async function send(dryRun) {
    const data = new FormData();
    data.append("file", current.file, current.file.name);
    data.append("dry_run", dryRun ? "true" : "false");
    if (!dryRun) data.append("preview", current.token);
    const response = await fetch(endpoint(current.kind), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent("/intake"));
      return null;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) {
      showProblem(detailText(body, response), body && body.problems);
      return null;
    }
    return body;
  }

  function fillCounts(list, counts, keys) {
    list.replaceChildren();
    for (const key of keys) {
      const item = el("li", null, "count count-" + key);
      item.appendChild(el("span", COUNT_LABELS[key], "count-label"));
      item.appendChild(el("strong", counts[key] || 0, "count-value"));
      item.dataset.outcome = key;
      list.appendChild(item);
    }
  }

  function reasonCell(row) {
    const cell = el("td", null, "reason");
    if (row.column) cell.appendChild(el("span", "列 column “" + row.column + "”：", "column"));
    if (row.reason) cell.appendChild(document.createTextNode(row.reason));
    return cell;
  }

  function fillRows(rows) {
    const body = byId("rows").tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = el("tr", null, "outcome-" + row.outcome);
      tr.dataset.row = String(row.row);
      tr.dataset.outcome = row.outcome;
      const head = el("th", row.row);
      head.scope = "row";
      tr.appendChild(head);
      tr.appendChild(el("td", row.external_id || "—"));
      tr.appendChild(el("td", row.label, "label"));
      tr.appendChild(reasonCell(row));
      tr.appendChild(el("td", row.place || "—"));
      body.appendChild(tr);
    }
  }

  function fillSkipped(skipped) {
    const list = byId("skipped");
    list.replaceChildren();
    for (const s of skipped) {
      list.appendChild(el("li", "第 " + s.row + " 行 row " + s.row + "：" + s.label + "，已跳过 skipped"));
    }
  }

  async function preview(event) {
    event.preventDefault();
    clearProblem();
    resultSection.hidden = true;
    previewSection.hidden = true;
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      showProblem("请先选择一个 .xlsx 或 .csv 文件 / choose a .xlsx or .csv file first");
      fileInput.focus();
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      const mb = (maxBytes / 1e6).toFixed(0);
      showProblem("文件超过 " + mb + " MB，请分成几个文件 / the file is larger than " + mb + " MB: split it");
      return;
    }
    current = { file: file, kind: chosenKind(), token: null };
    busy(true, "正在预览… previewing…");
    try {
      const body = await send(true);
      if (!body) return;
      current.token = body.preview;
      byId("file-name").textContent = body.file;
      fillCounts(byId("counts"), body.counts,
        ["rows", ...OUTCOME_ORDER, "skipped"]);
      fillRows(body.rows);
      fillSkipped(body.skipped);
      commitButton.hidden = body.counts.stored === 0;
      previewSection.hidden = false;
      status.textContent = "预览完成，尚未写入 preview ready, nothing stored";
      byId("preview-title").focus();
    } catch (error) {
      showProblem("无法连接服务器 / cannot reach the server: " + error);
    } finally {
      busy(false, status.textContent);
    }
  }

  function linkItem(text, href) {
    const item = el("li");
    const link = el("a", text);
    link.href = href;
    item.appendChild(link);
    return item;
  }

  async function commit() {
    if (!current || !current.token) return;
    clearProblem();
    busy(true, "正在提交… committing…");
    try {
      const body = await send(false);
      if (!body) return;
      const counts = body.counts;
      byId("result-summary").textContent =
        "已写入 " + counts.stored + " 条（位置待核实 " + counts.needs_location + "，疑似重复 " +
        counts.duplicate + "），已登记 " + counts.already_present + "，不予受理 " + counts.refused +
        " / stored " + counts.stored + " of " + counts.rows + " rows";
      const links = byId("result-links");
      links.replaceChildren();
      const what = body.kind === "signals" ? "风险信号列表 signals" : "纠纷列表 disputes";
      links.appendChild(linkItem(what + " (" + body.links.list + ")", body.links.list));
      links.appendChild(linkItem("指挥地图 command-room map", body.links.map));
      for (const c of body.links.cases) {
        if (!c.href) continue;
        links.appendChild(linkItem("第 " + c.row + " 行 row " + c.row + " · " +
          (c.external_id || "") + " → #" + c.id, c.href));
      }
      previewSection.hidden = true;
      resultSection.hidden = false;
      status.textContent = "已提交 committed";
      current = null;
      byId("result-title").focus();
    } catch (error) {
      showProblem("无法连接服务器 / cannot reach the server: " + error);
    } finally {
      busy(false, status.textContent);
    }
  }

  function startOver() {
    current = null;
    previewSection.hidden = true;
    resultSection.hidden = true;
    clearProblem();
    status.textContent = "";
    form.reset();
    fileInput.focus();
  }

  function invalidate() {
    if (!previewSection.hidden) {
      previewSection.hidden = true;
      current = null;
      status.textContent = "文件或类型已更改，请重新预览 / changed: preview again";
    }
  }

  form.addEventListener("submit", preview);
  commitButton.addEventListener("click", commit);
  byId("start-over").addEventListener("click", startOver);
  byId("another").addEventListener("click", startOver);
  fileInput.addEventListener("change", invalidate);
  for (const radio of form.querySelectorAll("input[name=kind]")) {
    radio.addEventListener("change", invalidate);
  }
})();
