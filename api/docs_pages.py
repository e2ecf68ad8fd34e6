"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) served from the app's own vendored assets
(``api/static/docs``), never from a CDN: they work on a closed network and run no
third-party script on the app's origin. The pages hold no inline script."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(__file__).parent / "static" / "docs"
ASSETS_URL = "/docs-assets"

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
</head>
<body data-openapi="{openapi}">
<div id="{root}"></div>
{scripts}
</body>
</html>
"""


def _page(app: FastAPI, title: str, root: str, head: str, scripts: list[str]) -> HTMLResponse:
    tags = "\n".join(f'<script src="{ASSETS_URL}/{name}"></script>' for name in scripts)
    return HTMLResponse(
        _PAGE.format(
            title=escape(f"{app.title} – {title}"),
            head=head,
            openapi=escape(app.openapi_url or "/openapi.json"),
            root=root,
            scripts=tags,
        )
    )


def install(app: FastAPI) -> None:
    """Mount the assets and add the ``/docs``, ``/docs/oauth2-redirect`` and ``/redoc`` pages
    (create the app with ``docs_url=None, redoc_url=None``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        head = (
            f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui/swagger-ui.css">\n'
            f'<link rel="icon" href="{ASSETS_URL}/swagger-ui/favicon-32x32.png">'
        )
        return _page(
            app, "API", "swagger-ui", head, ["swagger-ui/swagger-ui-bundle.js", "swagger-init.js"]
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_oauth2_redirect() -> FileResponse:
        return FileResponse(ASSETS_DIR / "oauth2-redirect.html", media_type="text/html")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(app, "ReDoc", "redoc", "", ["redoc/redoc.standalone.js", "redoc-init.js"])
