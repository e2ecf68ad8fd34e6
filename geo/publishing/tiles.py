"""Vector tiles (Mapbox Vector Tile via ST_AsMVT) per layer, and a versioned tile cache.

Each layer's tile query (``geo/sql/tiles_<layer>.sql``) returns the tile together with the
layer's change counter, read in one statement and so in one snapshot. The counter lives in
``layer_version`` and is bumped by statement-level triggers on the layer's tables
(migration 0002_auth) in the writer's own transaction: a redraw, an ingest or a dispute
transition makes every cached tile of that layer unreachable at once, and a tile is never
cached under a version newer than the rows it was drawn from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.errors import InvalidRequest, NotFound
from geo.database.sqlfiles import sql

MAX_ZOOM = 22


@dataclass(frozen=True)
class TileLayer:
    """A layer served at ``/tiles/{id}/{z}/{x}/{y}.pbf``."""

    id: str
    title: str
    fields: dict[str, str]
    min_zoom: int = 0
    cases: bool = False  # holds cases: case roles only, filtered by scope


LAYERS: dict[str, TileLayer] = {
    layer.id: layer
    for layer in (
        TileLayer("admin_units", "Administrative units",
                  {"code": "String", "level": "String", "name": "String",
                   "parent_code": "String", "synthetic_geom": "Boolean"}),
        TileLayer("grids", "Grids",
                  {"code": "String", "name": "String", "township_code": "String",
                   "village_code": "String", "households": "Number", "population": "Number",
                   "synthetic": "Boolean"}),
        TileLayer("addresses", "Standard addresses",
                  {"code": "String", "full_text": "String", "houses": "Number",
                   "residents": "Number", "grid_code": "String", "synthetic": "Boolean"},
                  min_zoom=12),
        TileLayer("hotspots", "Hotspots (latest period per method)",
                  {"id": "Number", "grid_code": "String", "method": "String",
                   "period_start": "String", "score": "Number", "z": "Number",
                   "hotspot_class": "String", "status": "String", "synthetic": "Boolean"}),
        TileLayer("disputes", "Disputes (no personal data)",
                  {"id": "Number", "category": "String", "severity": "String",
                   "status": "String", "reported_at": "String", "grid_code": "String",
                   "synthetic": "Boolean"},
                  cases=True),
    )
}  # fmt: skip


def layer(layer_id: str) -> TileLayer:
    """The layer called ``layer_id``; :class:`NotFound` otherwise."""
    try:
        return LAYERS[layer_id]
    except KeyError:
        raise NotFound(f"no tile layer {layer_id!r}; one of {', '.join(LAYERS)}") from None


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse zoom levels and tile numbers outside the Web Mercator tile pyramid."""
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidRequest(f"zoom must be 0..{MAX_ZOOM}, got {z}")
    side = 1 << z
    if not (0 <= x < side and 0 <= y < side):
        raise InvalidRequest(f"tile {z}/{x}/{y} does not exist: x and y must be 0..{side - 1}")


def version(*, session: Session, layer_id: str) -> int:
    """The layer's change counter now."""
    return session.execute(sql("tiles_version"), {"layer": layer(layer_id).id}).scalar_one()


def render(
    *, session: Session, layer_id: str, z: int, x: int, y: int, scope: dict | None = None
) -> tuple[int, bytes]:
    """``(version, tile bytes)`` of one tile; the bytes are empty when nothing is there."""
    found = layer(layer_id)
    check_tile(z, x, y)
    if z < found.min_zoom:
        return version(session=session, layer_id=layer_id), b""
    params = {"z": z, "x": x, "y": y, "scope_area": None, "scope_facility": None, **(scope or {})}
    row = session.execute(sql(f"tiles_{found.id}"), params).one()
    return row.version, bytes(row.tile or b"")


class TileCache:
    """A thread-safe LRU of rendered tiles bounded by total bytes.

    Keys carry the layer version, so a change never needs to find and delete entries:
    stale tiles just stop being asked for and fall off the end.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> bytes | None:
        """The cached tile for ``key`` (marked as recently used), or None."""
        with self._lock:
            tile = self._entries.get(key)
            if tile is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return tile

    def put(self, key: tuple, tile: bytes) -> None:
        """Store a tile, evicting the least recently used ones beyond the byte budget."""
        if self.max_bytes <= 0 or len(tile) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._entries[key] = tile
            self._bytes += len(tile)
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted)

    def __len__(self) -> int:
        return len(self._entries)
