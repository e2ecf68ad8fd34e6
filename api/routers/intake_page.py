"""``/intake``: the page where a county or township centre uploads a ledger (台账), sees each
row's outcome and commits (the API behind it: :mod:`api.routers.uploads`).

A browser without a session is sent to the login page, which comes back here; a role that
may not take ledgers in (``core.principal.MANAGER_ROLES``) gets a 403 page saying so.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import optional_user
from core.principal import MANAGER_ROLES, Principal
from maps.intake import intake_page_html, not_allowed_html

ROLE_LABELS = {
    "county_centre": "县综治中心",
    "township": "乡镇综治中心",
    "grid_leader": "网格长",
    "partner": "协作单位",
    "viewer": "只读用户",
}

pages = APIRouter(tags=["intake"])


def _page_user(request: Request) -> Principal | None:
    """The logged-in user, or None without a session or with an expired one."""
    try:
        return optional_user(request, None)
    except HTTPException:
        return None


@pages.get("/intake", response_class=HTMLResponse, include_in_schema=False)
def intake_page(
    request: Request, user: Annotated[Principal | None, Depends(_page_user)]
) -> HTMLResponse:
    """The upload-and-preview page (county centre and township roles)."""
    if user is None:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    label = ROLE_LABELS.get(user.role, user.role)
    if user.role not in MANAGER_ROLES:
        return HTMLResponse(not_allowed_html(label), status_code=403)
    scope = f" {user.scope_code}" if user.scope_code else ""
    body = intake_page_html(
        username=f"{user.username}{scope}",
        role_label=label,
        max_bytes=request.app.state.settings.max_body_bytes,
    )
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})
