"""``GET /api/v1/admin-units``."""

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.geojson import GeoJSONResponse
from api.schemas.places import AdminUnitCollection
from geo.publishing import features

router = APIRouter(tags=["admin units"])


@router.get("/admin-units", response_class=GeoJSONResponse, response_model=AdminUnitCollection)
def admin_units(
    session: SessionDep,
    level: Literal["county", "township", "village"] | None = None,
    parent: str | None = Query(None, max_length=12, pattern=r"^\d{6,12}$"),
    county: str | None = Query(None, max_length=6, pattern=r"^\d{6}$"),
) -> GeoJSONResponse:
    """County, townships and villages as GeoJSON, filtered by level, parent and county code."""
    body = features.admin_units_collection(
        session=session, level=level, parent=parent, county=county
    )
    return GeoJSONResponse(body)
