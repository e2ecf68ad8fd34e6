"""Vector tiles at ``/tiles/{layer}/{z}/{x}/{y}.pbf`` and TileJSON at ``/tiles/{layer}.json``.

Tiles need a logged-in user (bearer token or the login cookie); ``disputes`` needs a role
that handles cases and holds only the cases in scope. Rendered tiles are cached in process,
keyed by layer, tile, layer version and scope; the version changes whenever the layer's rows
do (see :mod:`geo.publishing.tiles`), and it is also the ETag, so clients revalidate cheaply.
"""

from __future__ import annotations

from fastapi import APIRouter, Path, Request, Response

from api.deps import CurrentUser, SessionDep, audit_list, published_layer, published_scope
from api.schemas.ogc import TileJSON
from core.principal import Principal
from geo.publishing import tiles

MVT = "application/vnd.mapbox-vector-tile"
router = APIRouter(prefix="/tiles", tags=["vector tiles"])


def _layer_for(user: Principal, layer_id: str) -> tiles.TileLayer:
    missing = f"no tile layer {layer_id!r}; one of {', '.join(tiles.LAYERS)}"
    return published_layer(user, tiles.LAYERS, layer_id, missing)


@router.get(
    "/{layer_id}.json",
    summary="TileJSON of a layer",
    response_model=TileJSON,
    response_model_exclude_unset=True,
)
def tilejson(layer_id: str, request: Request, user: CurrentUser) -> dict:
    """TileJSON 3.0 describing the layer: tile URL template, zooms, fields."""
    found = _layer_for(user, layer_id)
    base = str(request.base_url).rstrip("/")
    return {
        "tilejson": "3.0.0",
        "name": found.title,
        "scheme": "xyz",
        "tiles": [f"{base}/tiles/{found.id}/{{z}}/{{x}}/{{y}}.pbf"],
        "minzoom": found.min_zoom,
        "maxzoom": tiles.MAX_ZOOM,
        "vector_layers": [
            {"id": found.id, "fields": found.fields, "minzoom": found.min_zoom,
             "maxzoom": tiles.MAX_ZOOM}
        ],
    }  # fmt: skip


@router.get(
    "/{layer_id}/{z}/{x}/{y}.pbf",
    summary="One vector tile",
    response_class=Response,
    responses={
        200: {"content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
        304: {"description": "not modified"},
    },
)
def tile(
    layer_id: str,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    z: int = Path(ge=0, le=tiles.MAX_ZOOM),
    x: int = Path(ge=0, le=(1 << tiles.MAX_ZOOM) - 1),
    y: int = Path(ge=0, le=(1 << tiles.MAX_ZOOM) - 1),
) -> Response:
    """A Mapbox Vector Tile (empty body when the tile holds nothing)."""
    found = _layer_for(user, layer_id)
    tiles.check_tile(z, x, y)
    if found.cases:
        audit_list(session, user, request, f"tile:{found.id}", None)
    scope = published_scope(user, found)
    scope_key = tuple(sorted(scope.items())) if scope else ()
    cache: tiles.TileCache = request.app.state.tile_cache
    current = tiles.version(session=session, layer_id=found.id)
    etag = f'W/"{found.id}-{current}-{abs(hash(scope_key)) if scope_key else 0}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    key = (found.id, z, x, y, current, scope_key)
    body = cache.get(key)
    if body is None:
        drawn_at, body = tiles.render(
            session=session, layer_id=found.id, z=z, x=x, y=y, scope=scope
        )
        cache.put((found.id, z, x, y, drawn_at, scope_key), body)
    return Response(content=body, media_type=MVT, headers=headers)
