"""Queries behind the OGC API – Features endpoints: collections, pages of items, one item.

Each collection is a static query in ``geo/sql/ogc_src_<id>.sql`` with the columns
``id, sort_key, geom, properties``; the page, item and extent statements wrap it. Features
leave PostGIS as GeoJSON text (``json_build_object`` / ``json_agg``) and are passed to the
client as they are, never parsed and serialised again in Python. Only
file contents are spliced together here, never request values (those are bind parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from core.errors import NotFound
from geo.database.sqlfiles import sql_source
from geo.publishing.features import BBox


@dataclass(frozen=True)
class Collection:
    """A feature collection offered at ``/ogc/collections/{id}``."""

    id: str
    title: str
    description: str
    numeric_ids: bool = False
    cases: bool = False  # holds cases: listed only to case roles, filtered by scope


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection("admin_units", "Administrative units", "County, townships and villages."),
        Collection("grids", "Grids", "Current management grids (网格)."),
        Collection("addresses", "Standard addresses", "Standard addresses (标准地址)."),
        Collection(
            "hotspots", "Hotspots", "Grids flagged by the risk model, per period.", numeric_ids=True
        ),
        Collection(
            "disputes",
            "Disputes",
            "Located disputes within the caller's scope, without personal data.",
            numeric_ids=True,
            cases=True,
        ),
    )
}


def _read(name: str) -> str:
    return sql_source(name)


@cache
def _statement(wrapper: str, collection: str) -> TextClause:
    source = "\n".join(
        line for line in _read(f"ogc_src_{collection}").splitlines() if not line.startswith("--")
    )
    return text(_read(wrapper).replace("__SOURCE__", source))


def _collection(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise NotFound(f"no collection {collection_id!r}") from None


def _params(scope: dict | None, bbox: BBox | None) -> dict:
    keys = ("minx", "miny", "maxx", "maxy")
    params = dict(zip(keys, bbox, strict=True)) if bbox else dict.fromkeys(keys)
    params.update({"scope_area": None, "scope_facility": None, **(scope or {})})
    return params


@dataclass(frozen=True)
class Page:
    """One page of a collection: how many features match, how many are in the page, and the
    features as a JSON array built by PostGIS (text, never parsed here)."""

    matched: int
    returned: int
    features: str


def page(
    *,
    session: Session,
    collection_id: str,
    bbox: BBox | None = None,
    limit: int = 100,
    offset: int = 0,
    scope: dict | None = None,
) -> Page:
    """One page of a collection in a stable order."""
    _collection(collection_id)
    params = _params(scope, bbox) | {"limit": limit, "offset": offset}
    row = session.execute(_statement("ogc_page", collection_id), params).one()
    return Page(matched=row.matched, returned=row.returned, features=row.features)


def item(
    *, session: Session, collection_id: str, feature_id: str, scope: dict | None = None
) -> str:
    """One feature by id as a GeoJSON object (text built by PostGIS); :class:`NotFound` when
    absent or outside ``scope``."""
    collection = _collection(collection_id)
    missing = NotFound(f"no feature {feature_id!r} in collection {collection_id!r}")
    if collection.numeric_ids and not (feature_id.isdigit() and len(feature_id) < 19):
        raise missing
    params = _params(scope, None) | {"id": feature_id}
    found = session.execute(_statement("ogc_item", collection_id), params).scalar()
    if found is None:
        raise missing
    return found


def extent(
    *, session: Session, collection_id: str, scope: dict | None = None
) -> list[float] | None:
    """``[minx, miny, maxx, maxy]`` of a collection, or None when it is empty."""
    _collection(collection_id)
    row = session.execute(_statement("ogc_extent", collection_id), _params(scope, None)).one()
    if row.minx is None:
        return None
    return [row.minx, row.miny, row.maxx, row.maxy]
