"""GeoJSON bodies: the response for text built by the database, and the models that describe
GeoJSON (RFC 7946) in OpenAPI.

Collections built by PostGIS are passed through as text (no re-parsing of large
collections); the models below only declare their shape, so a route names one as its
``response_model`` next to ``response_class=GeoJSONResponse`` and OpenAPI lists the body
under ``application/geo+json``.
"""

from __future__ import annotations

from typing import Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

GEOJSON = "application/geo+json"


class GeoJSONResponse(JSONResponse):
    """A GeoJSON body: text built by the database is passed through as it is (no re-parsing
    of large collections); anything else is rendered as JSON. A JSON response class, so that
    OpenAPI shows the route's ``response_model`` under ``application/geo+json``."""

    media_type = GEOJSON

    def render(self, content) -> bytes:
        """The body bytes: text as given, other content as JSON."""
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode("utf-8")
        return super().render(content)


# Positions nested as deep as the geometry type needs (Point: 1 level … MultiPolygon: 4).
Coordinates = TypeAliasType("Coordinates", "list[float | Coordinates]")


class Link(BaseModel):
    """A web link (OGC API style)."""

    model_config = ConfigDict(extra="allow")

    rel: str
    type: str | None = None
    href: str
    title: str | None = None


class Geometry(BaseModel):
    """A GeoJSON geometry in WGS 84 lon/lat."""

    model_config = ConfigDict(extra="allow")

    type: Literal[
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
        "GeometryCollection",
    ]  # fmt: skip
    coordinates: Coordinates | None = None
    geometries: list[Geometry] | None = Field(None, description="GeometryCollection only")


class Feature(BaseModel):
    """A GeoJSON feature; routes narrow ``properties`` to their own model."""

    model_config = ConfigDict(extra="allow")

    type: Literal["Feature"]
    id: int | str | None = None
    geometry: Geometry | None
    properties: dict[str, object] | None


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection, with the paging members of OGC API – Features where the
    route pages (``numberMatched``, ``numberReturned``, ``links``)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["FeatureCollection"]
    features: list[Feature]
    numberMatched: int | None = Field(None, description="features matching the filter")
    numberReturned: int | None = Field(None, description="features in this page")
    links: list[Link] | None = None
