"""The intake page (``/intake``): upload a disputes or signals ledger, see each row's outcome,
then commit.

Plain HTML in Chinese with the English beside it; the script and the stylesheet come from
``maps/static/wangge/intake.*`` (nothing from a CDN, no inline script or style, so the strict
Content-Security-Policy holds). The page holds no text from a file or the database: the
preview is put in by ``intake.js`` with ``textContent``.
"""

from __future__ import annotations

import html

from maps.base import FAVICON

_BODY = """
<header class="bar">
  <h1>上传台账 <span class="en">Upload a ledger</span></h1>
  <p class="who">{who} · <a href="/maps/command-room">指挥地图 map</a></p>
</header>
<main id="intake" data-disputes="{disputes}" data-signals="{signals}"
  data-max-bytes="{max_bytes}">
  <form id="upload-form" class="card" novalidate>
    <fieldset>
      <legend>1. 台账类型 <span class="en">Kind of ledger</span></legend>
      <label><input type="radio" name="kind" value="disputes" checked>
        矛盾纠纷 <span class="en">disputes</span></label>
      <label><input type="radio" name="kind" value="signals">
        风险信号 <span class="en">risk signals</span></label>
    </fieldset>
    <p>
      <label for="file">2. 选择文件 <span class="en">Choose a file</span>（.xlsx, .csv）</label>
      <input id="file" name="file" type="file" accept=".xlsx,.csv" required
        aria-describedby="file-hint">
    </p>
    <p id="file-hint" class="hint">标题行、合计行会自动跳过；GBK 编码的 CSV 也可以。
      <span class="en">Title and totals rows are skipped; GBK CSV is fine.</span></p>
    <button type="submit" id="preview-button" class="primary">
      3. 预览 <span class="en">Preview</span></button>
  </form>
  <p id="status" class="status" role="status" aria-live="polite"></p>
  <div id="problem" class="problem" role="alert" hidden></div>
  <section id="preview" class="card" hidden>
    <h2 id="preview-title" tabindex="-1">预览 <span class="en">Preview</span>：
      <span id="file-name"></span></h2>
    <p class="hint">尚未写入任何记录。<span class="en">Nothing is stored yet.</span></p>
    <ul id="counts" class="counts"></ul>
    <div class="table-wrap">
      <table id="rows">
        <caption>逐行结果 <span class="en">Outcome of each row</span></caption>
        <thead><tr>
          <th scope="col">行 <span class="en">Row</span></th>
          <th scope="col">编号 <span class="en">ID</span></th>
          <th scope="col">结果 <span class="en">Outcome</span></th>
          <th scope="col">原因 <span class="en">Reason</span></th>
          <th scope="col">匹配位置 <span class="en">Matched place</span></th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <ul id="skipped" class="skipped"></ul>
    <p>
      <button type="button" id="commit" class="primary">提交 <span class="en">Commit</span></button>
      <button type="button" id="start-over" class="secondary">重新选择
        <span class="en">Start over</span></button>
    </p>
  </section>
  <section id="result" class="card" hidden>
    <h2 id="result-title" tabindex="-1">已提交 <span class="en">Committed</span></h2>
    <p id="result-summary"></p>
    <ul id="result-links" class="links"></ul>
    <p><button type="button" id="another" class="secondary">再上传一个
      <span class="en">Upload another</span></button></p>
  </section>
</main>
"""


def intake_page_html(
    *,
    username: str,
    role_label: str,
    max_bytes: int,
    base_url: str = "/static",
    endpoints: tuple[str, str] = ("/api/v1/disputes/upload", "/api/v1/signals/upload"),
) -> str:
    """The intake page for a logged-in county or township centre user."""
    base = base_url.rstrip("/")
    who = html.escape(f"{role_label} {username}")
    body = _BODY.format(
        who=who,
        disputes=html.escape(endpoints[0]),
        signals=html.escape(endpoints[1]),
        max_bytes=int(max_bytes),
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>上传台账 Upload a ledger · 网格</title>{FAVICON}"
        f'<link rel="stylesheet" href="{base}/wangge/intake.css">'
        f'<script src="{base}/wangge/intake.js" defer></script>'
        f"</head><body>{body}</body></html>"
    )


def not_allowed_html(role_label: str) -> str:
    """The page a role without intake sees (403)."""
    role = html.escape(role_label)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>无权上传台账 Not allowed · 网格</title>{FAVICON}"
        '<link rel="stylesheet" href="/static/wangge/intake.css"></head><body>'
        '<main class="card"><h1>无权上传台账 <span class="en">Not allowed</span></h1>'
        f"<p>{role} 账号不能上传台账，请由县综治中心或乡镇综治中心上传。"
        '<span class="en">Only the county centre and township centres upload ledgers.</span>'
        "</p></main></body></html>"
    )
