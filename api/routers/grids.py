"""``GET /api/v1/grids``, ``/grids/{code}`` and ``/addresses``."""

import datetime as dt

from fastapi import APIRouter, Query, Request

from api.deps import SessionDep
from api.geojson import GeoJSONResponse
from api.schemas.common import CODE
from api.schemas.places import AddressPage, GridCollection, GridDetail
from geo.publishing import features

router = APIRouter(tags=["grids"])


@router.get("/grids", response_class=GeoJSONResponse, response_model=GridCollection)
def grids(
    session: SessionDep,
    township: str | None = Query(None, pattern=CODE, description="9-digit township code"),
    village: str | None = Query(None, pattern=CODE, description="12-digit village code"),
    bbox: str | None = Query(None, max_length=200, description="minx,miny,maxx,maxy (lon/lat)"),
) -> GeoJSONResponse:
    """Current grids as a GeoJSON FeatureCollection."""
    body = features.grids_collection(
        session=session, township=township, village=village, bbox=features.parse_bbox(bbox)
    )
    return GeoJSONResponse(body)


@router.get("/grids/{code}", response_class=GeoJSONResponse, response_model=GridDetail)
def grid(
    session: SessionDep,
    code: str,
    as_of: dt.datetime | None = Query(None, description="the grid as it was at this time"),
) -> GeoJSONResponse:
    """One grid with its leader, counts and open cases; ``as_of`` reads the history."""
    return GeoJSONResponse(features.grid_feature(session=session, code=code, as_of=as_of))


@router.get("/addresses", response_model=AddressPage, response_model_exclude_unset=True)
def addresses(
    request: Request,
    session: SessionDep,
    q: str | None = Query(None, max_length=200, description="text contained in the address"),
    grid: str | None = Query(None, pattern=CODE),
    village: str | None = Query(None, pattern=CODE),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> dict:
    """Standard addresses, paged, as a FeatureCollection with ``numberMatched`` and links."""
    page = features.addresses_page(
        session=session, q=q, grid=grid, village=village, limit=limit, offset=offset
    )
    links = []
    if offset + limit < page["matched"]:
        links.append(
            {
                "rel": "next",
                "type": "application/geo+json",
                "href": str(request.url.include_query_params(offset=offset + limit)),
            }
        )
    return {
        "type": "FeatureCollection",
        "numberMatched": page["matched"],
        "numberReturned": len(page["features"]),
        "features": page["features"],
        "links": links,
    }
