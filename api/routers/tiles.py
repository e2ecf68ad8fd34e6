"""Vector tiles at ``/tiles/{layer}/{z}/{x}/{y}.pbf`` and TileJSON at ``/tiles/{layer}.json``.

Tiles need a logged-in user (bearer token or the login cookie); ``disputes`` needs a role
that handles cases and holds only the cases in scope. Rendered tiles are cached in process,
keyed by layer, tile, layer version and scope; the version changes whenever the layer's rows
do (see :mod:`geo.publishing.tiles`), and it is also the ETag, so clients revalidate cheaply.
Versions come from the process's version board (pushed by NOTIFY, see
:mod:`geo.publishing.versions`) while it is live, else from the database; a cached tile of a
layer without cases then costs neither a query nor a thread. Tiles of cases always go through
the database, for the audit row each request writes.
"""

from __future__ import annotations

import zlib

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import CurrentUser, audit_list, published_layer, published_scope
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


def _etag(layer_id: str, version: int, scope_key: tuple) -> str:
    # crc32, not hash(): every worker process must give the same tag for the same tile
    scope_tag = zlib.crc32(repr(scope_key).encode()) if scope_key else 0
    return f'W/"{layer_id}-{version}-{scope_tag}"'


def _matches(request: Request, etag: str) -> bool:
    sent = request.headers.get("if-none-match")
    return sent is not None and (
        sent.strip() == "*" or etag in (t.strip() for t in sent.split(","))
    )


def _answer(body: bytes | None, etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if body is None:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=MVT, headers=headers)


def _tile_from_database(
    request: Request,
    user: Principal,
    found: tiles.TileLayer,
    tile_xyz: tuple[int, int, int],
    scope: dict | None,
    known_version: int | None,
) -> Response:
    """The tile through a session of its own: the audit row of a layer of cases, the version
    when the board has none, and the drawing on a cache miss; committed before the answer."""
    z, x, y = tile_xyz
    scope_key = tuple(sorted(scope.items())) if scope else ()
    cache: tiles.TileCache = request.app.state.tile_cache
    with request.app.state.sessions() as session:
        if found.cases:
            audit_list(session, user, request, f"tile:{found.id}", None)
        current = known_version
        if current is None:
            current = tiles.version(session=session, layer_id=found.id)
        etag = _etag(found.id, current, scope_key)
        body = None  # 304 when the client holds this version
        if not _matches(request, etag):
            body = cache.get((found.id, *tile_xyz, current, scope_key))
            if body is None:
                current, body = tiles.render(
                    session=session, layer_id=found.id, z=z, x=x, y=y, scope=scope
                )
                cache.put((found.id, *tile_xyz, current, scope_key), body)
                etag = _etag(found.id, current, scope_key)
        session.commit()
    return _answer(body, etag)


@router.get(
    "/{layer_id}/{z}/{x}/{y}.pbf",
    summary="One vector tile",
    response_class=Response,
    responses={
        200: {"content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
        304: {"description": "not modified"},
    },
)
async def tile(
    layer_id: str,
    request: Request,
    user: CurrentUser,
    z: int = Path(ge=0, le=tiles.MAX_ZOOM),
    x: int = Path(ge=0, le=(1 << tiles.MAX_ZOOM) - 1),
    y: int = Path(ge=0, le=(1 << tiles.MAX_ZOOM) - 1),
) -> Response:
    """A Mapbox Vector Tile (empty body when the tile holds nothing).

    A tile of a layer without cases whose version the board knows is answered on the event
    loop from the cache (or 304 from its ETag) with no query; anything else goes through the
    database in a worker thread."""
    found = _layer_for(user, layer_id)
    tiles.check_tile(z, x, y)
    scope = published_scope(user, found)
    board = getattr(request.app.state, "versions", None)
    known = board.layer_version(found.id) if board is not None else None
    if known is not None and not found.cases:
        etag = _etag(found.id, known, ())
        if _matches(request, etag):
            return _answer(None, etag)
        body = request.app.state.tile_cache.get((found.id, z, x, y, known, ()))
        if body is not None:
            return _answer(body, etag)
    return await run_in_threadpool(
        _tile_from_database, request, user, found, (z, x, y), scope, known
    )
