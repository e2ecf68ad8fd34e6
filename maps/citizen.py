"""The citizens' pages: report a problem (``/report``) and follow it (``/report/follow``).

Plain HTML, mobile first, in Chinese; Leaflet and the page script come from ``maps/static``
(nothing from a CDN). The pages hold no user text: everything a citizen or the database wrote
is put in by ``wangge/citizen.js`` with ``textContent``. The page's settings travel as JSON in
a non-executed ``<script type="application/json">`` (no inline script, so the strict
Content-Security-Policy holds).
"""

from __future__ import annotations

import html
import json

from maps.assets import AssetOptions, asset_html

# Plain words for each category of core.vocab.DISPUTE_CATEGORIES (what a citizen would say).
CATEGORY_HINTS = {
    "marriage_family": "夫妻、婆媳、赡养、抚养、家庭财产等家里的矛盾",
    "neighbour": "噪音、漏水、占道、堆放杂物、采光、宅基地边界等邻居之间的矛盾",
    "land_forest": "承包地、山林、草场、宅基地的归属和使用",
    "debt": "借钱不还、货款、欠条",
    "labour_wages": "拖欠工资、工伤、劳动合同",
    "property_management": "小区物业、停车、公共设施维修、物业费",
    "medical": "看病过程中的纠纷",
    "traffic": "交通事故的赔偿和处理",
    "other": "以上都不是的其他问题",
}

_ASSETS = ["leaflet"]
_OWN = ('<link rel="stylesheet" href="{base}/wangge/citizen.css"/>',
        '<script defer src="{base}/wangge/citizen.js"></script>')  # fmt: skip

_REPORT_BODY = """
<header class="bar"><h1>{title}</h1><p>群众自主上报 · 有事找网格</p></header>
<main id="report" class="card-list">
  <section class="card">
    <h2>1. 在哪里？</h2>
    <p class="hint">在地图上点一下问题所在的位置，或使用手机定位。</p>
    <div id="pick-map" class="pick-map" role="application" aria-label="选择位置的地图"></div>
    <div class="row">
      <button type="button" id="locate-me" class="secondary">使用我的位置</button>
      <span id="picked" class="picked">尚未选择位置</span>
    </div>
  </section>
  <section class="card">
    <h2>2. 是什么问题？</h2>
    <div id="categories" class="choices" role="radiogroup" aria-label="问题类别"></div>
  </section>
  <section class="card" id="similar" hidden>
    <h2>附近已有类似问题</h2>
    <p class="hint">下面的问题已经在处理中。如果是同一件事，可以不必重复上报。</p>
    <ul id="similar-list" class="plain-list"></ul>
  </section>
  <section class="card">
    <h2>3. 请说说情况</h2>
    <textarea id="description" maxlength="{max_description}" rows="5"
      placeholder="发生了什么？持续多久了？"></textarea>
    <p class="hint"><span id="count">0</span>/{max_description} 字</p>
    <label for="phone">联系电话（可不填）</label>
    <input id="phone" type="tel" inputmode="tel" maxlength="20" autocomplete="tel">
    <p class="hint">电话只给办理的工作人员看，用于联系和回访，不会公开。</p>
    <label class="trap" aria-hidden="true">网址<input id="website" tabindex="-1"
      autocomplete="off"></label>
  </section>
  <section class="card">
    <h2>4. 请回答一个小问题</h2>
    <label for="answer" id="question">正在出题…</label>
    <input id="answer" inputmode="numeric" maxlength="4" autocomplete="off">
    <button type="button" id="new-question" class="link">换一题</button>
  </section>
  <p id="problem" class="problem" role="alert" hidden></p>
  <button type="button" id="submit" class="primary">提交</button>
</main>
<main id="done" class="card-list" hidden>
  <section class="card">
    <h2>已收到，谢谢您！</h2>
    <p>您的问题编号：<strong id="case-number"></strong></p>
    <p>请保存下面的查询链接，它是您查看进度和评价办理结果的唯一凭证，不要转给别人：</p>
    <p><a id="follow-link" class="follow-link"></a></p>
    <button type="button" id="copy-link" class="secondary">复制链接</button>
    <p class="hint">工作人员会尽快分派处理。办结后请通过这个链接给我们打分。</p>
  </section>
</main>
"""

_FOLLOW_BODY = """
<header class="bar"><h1>{title}</h1><p>问题办理进度</p></header>
<main class="card-list">
  <p id="problem" class="problem" role="alert" hidden></p>
  <section class="card" id="case" hidden>
    <h2>问题编号 <span id="case-number"></span></h2>
    <p class="status">当前状态：<strong id="status"></strong></p>
    <dl class="facts">
      <dt>类别</dt><dd id="category"></dd>
      <dt>所在网格</dt><dd id="place"></dd>
      <dt>上报时间</dt><dd id="reported"></dd>
      <dt>办理时限</dt><dd id="deadline"></dd>
    </dl>
    <h3>办理经过</h3>
    <ol id="history" class="history"></ol>
  </section>
  <section class="card" id="rate" hidden>
    <h2>请为办理结果打分</h2>
    <div id="stars" class="stars" role="radiogroup" aria-label="满意度"></div>
    <label for="comment">说说您的看法（可不填）</label>
    <textarea id="comment" maxlength="{max_comment}" rows="3"></textarea>
    <button type="button" id="send-rating" class="primary">提交评价</button>
  </section>
  <section class="card" id="rated" hidden>
    <h2>您的评价</h2>
    <p><strong id="rated-score"></strong></p>
    <p id="rated-comment" class="quote"></p>
  </section>
</main>
"""


def _config_json(config: dict) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no comment openers)."""
    text = json.dumps(config, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(title: str, body: str, config: dict, base_url: str) -> str:
    assets = asset_html(_ASSETS, AssetOptions(base_url=base_url))
    own = "\n".join(tag.format(base=base_url.rstrip("/")) for tag in _OWN)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html.escape(title)}</title>\n{assets}\n{own}\n"
        f'<script type="application/json" id="citizen-config">{_config_json(config)}</script>'
        f"</head><body>{body}</body></html>"
    )


def report_page_html(
    *, county_name: str, config: dict, base_url: str = "/static", max_description: int = 1000
) -> str:
    """The public report page; ``config`` tells the script where the API is (see citizen.js)."""
    title = f"{county_name} 问题上报"
    body = _REPORT_BODY.format(title=html.escape(title), max_description=max_description)
    return _page(title, body, {"page": "report", **config}, base_url)


def follow_page_html(
    *, county_name: str, config: dict, base_url: str = "/static", max_comment: int = 500
) -> str:
    """The follow-up page; the token stays in the link's fragment, never sent as a URL."""
    title = f"{county_name} 问题查询"
    body = _FOLLOW_BODY.format(title=html.escape(title), max_comment=max_comment)
    return _page(title, body, {"page": "follow", **config}, base_url)
