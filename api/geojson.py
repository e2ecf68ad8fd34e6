"""Responses for GeoJSON text built by the database."""

from fastapi.responses import Response

GEOJSON = "application/geo+json"


class GeoJSONResponse(Response):
    """A GeoJSON body passed through as text (no re-parsing of large collections)."""

    media_type = GEOJSON
