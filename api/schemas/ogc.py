"""Responses of OGC API – Features at ``/ogc`` and the TileJSON of ``/tiles``."""

from __future__ import annotations

from pydantic import Field

from api.geojson import Feature, FeatureCollection, Link
from api.schemas.common import Out


class Landing(Out):
    """The landing page: links to the API definition, conformance and collections."""

    title: str
    description: str | None = None
    links: list[Link]


class Conformance(Out):
    """The conformance classes implemented."""

    conformsTo: list[str]


class SpatialExtent(Out):
    """Bounding boxes (minx, miny, maxx, maxy) in ``crs``."""

    bbox: list[list[float]]
    crs: str | None = None


class Extent(Out):
    """The extent of a collection."""

    spatial: SpatialExtent


class CollectionInfo(Out):
    """A collection: title, CRS, links and (when it holds anything) its extent."""

    id: str
    title: str | None = None
    description: str | None = None
    itemType: str | None = None
    crs: list[str] | None = None
    storageCrs: str | None = None
    links: list[Link]
    extent: Extent | None = None


class Collections(Out):
    """The collections the caller may read."""

    links: list[Link]
    collections: list[CollectionInfo]


class OgcFeature(Feature):
    """One feature of a collection, with links to itself and its collection."""

    links: list[Link] | None = None


class OgcFeatureCollection(FeatureCollection):
    """A page of features with ``next``/``prev`` links."""

    numberMatched: int
    numberReturned: int
    links: list[Link]


class VectorLayer(Out):
    """The layer inside the tiles and its fields."""

    id: str
    fields: dict[str, str] = Field(description="field name → String, Number or Boolean")
    minzoom: int
    maxzoom: int


class TileJSON(Out):
    """TileJSON 3.0 of a vector tile layer."""

    tilejson: str
    name: str | None = None
    scheme: str
    tiles: list[str]
    minzoom: int
    maxzoom: int
    vector_layers: list[VectorLayer]
