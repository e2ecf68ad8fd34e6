"""OGC API – Features, Part 1 Core, at ``/ogc`` (GeoJSON, CRS84).

The landing page and conformance declaration are public (they hold no data); the
collections need a logged-in user. ``disputes`` is offered only to roles that handle cases
and holds only the cases in the caller's scope, without personal data; every page or
feature of it read is written to the audit log.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.deps import (
    CurrentUser,
    SessionDep,
    audit_case,
    audit_list,
    current_user,
    published_layer,
    published_scope,
)
from api.geojson import GEOJSON, GeoJSONResponse
from api.schemas.ogc import (
    CollectionInfo,
    Collections,
    Conformance,
    Landing,
    OgcFeature,
    OgcFeatureCollection,
)
from core.principal import Principal
from geo.publishing import ogc
from geo.publishing.features import parse_bbox

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])
Format = Annotated[Literal["json", "geojson"] | None, Query(description="json or geojson")]


class GeoJSONBody(GeoJSONResponse):
    """A GeoJSON document (``application/geo+json``) declaring CRS84; text built by the
    database passes through as it is."""

    def __init__(self, content, status_code: int = 200) -> None:
        super().__init__(content, status_code, headers={"Content-Crs": f"<{CRS84}>"})


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _visible(user: Principal) -> list[ogc.Collection]:
    return [c for c in ogc.COLLECTIONS.values() if user.sees_cases or not c.cases]


def _collection_for(user: Principal, collection_id: str) -> ogc.Collection:
    missing = f"no collection {collection_id!r}"
    return published_layer(user, ogc.COLLECTIONS, collection_id, missing)


def _check_crs(value: str | None, name: str) -> None:
    if value is not None and value != CRS84:
        raise HTTPException(400, f"{name} must be {CRS84} (the only CRS offered)")


def _describe(request: Request, user: Principal, session, collection: ogc.Collection) -> dict:
    root = _root(request)
    scope = published_scope(user, collection)
    bbox = ogc.extent(session=session, collection_id=collection.id, scope=scope)
    body = {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "links": [
            {"rel": "self", "type": "application/json",
             "href": f"{root}/collections/{collection.id}"},
            {"rel": "items", "type": GEOJSON,
             "href": f"{root}/collections/{collection.id}/items"},
        ],
    }  # fmt: skip
    if bbox:
        body["extent"] = {"spatial": {"bbox": [bbox], "crs": CRS84}}
    return body


@router.get("", summary="Landing page", response_model=Landing, response_model_exclude_unset=True)
def landing(request: Request, f: Format = None) -> dict:
    """Links to the API definition, the conformance declaration and the collections."""
    root = _root(request)
    base = str(request.base_url).rstrip("/")
    return {
        "title": "wangge 网格 – OGC API Features",
        "description": "Grids, standard addresses, admin units, hotspots and disputes.",
        "links": [
            {"rel": "self", "type": "application/json", "href": root},
            {"rel": "service-desc", "type": OPENAPI, "href": f"{base}/openapi.json"},
            {"rel": "service-doc", "type": "text/html", "href": f"{base}/docs"},
            {"rel": "conformance", "type": "application/json", "href": f"{root}/conformance"},
            {"rel": "data", "type": "application/json", "href": f"{root}/collections"},
        ],
    }


@router.get("/conformance", summary="Conformance declaration", response_model=Conformance)
def conformance(f: Format = None) -> dict:
    """The conformance classes implemented: Core, GeoJSON, OpenAPI 3.0."""
    return {"conformsTo": CONFORMANCE}


@router.get(
    "/collections",
    summary="Collections",
    dependencies=[Depends(current_user)],
    response_model=Collections,
    response_model_exclude_unset=True,
)
def collections(request: Request, session: SessionDep, user: CurrentUser, f: Format = None) -> dict:
    """The collections this caller may read, with their extents."""
    root = _root(request)
    return {
        "links": [{"rel": "self", "type": "application/json", "href": f"{root}/collections"}],
        "collections": [_describe(request, user, session, c) for c in _visible(user)],
    }


@router.get(
    "/collections/{collection_id}",
    summary="One collection",
    response_model=CollectionInfo,
    response_model_exclude_unset=True,
)
def collection(
    collection_id: str, request: Request, session: SessionDep, user: CurrentUser, f: Format = None
) -> dict:
    """Description and extent of one collection."""
    return _describe(request, user, session, _collection_for(user, collection_id))


@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection",
    response_class=GeoJSONBody,
    response_model=OgcFeatureCollection,
)
def items(
    collection_id: str,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    bbox: str | None = Query(None, max_length=200, description="minx,miny,maxx,maxy in CRS84"),
    bbox_crs: str | None = Query(None, alias="bbox-crs", max_length=200),
    crs: str | None = Query(None, max_length=200),
    limit: int = Query(100, ge=1, le=10_000),
    offset: int = Query(0, ge=0, le=10_000_000),
    f: Format = None,
) -> GeoJSONBody:
    """A page of features as a GeoJSON FeatureCollection with ``next``/``prev`` links."""
    found = _collection_for(user, collection_id)
    _check_crs(bbox_crs, "bbox-crs")
    _check_crs(crs, "crs")
    page = ogc.page(
        session=session,
        collection_id=found.id,
        bbox=parse_bbox(bbox),
        limit=limit,
        offset=offset,
        scope=published_scope(user, found),
    )
    if found.cases:
        audit_list(session, user, request, f"ogc:{found.id}", page.returned)
    links = [{"rel": "self", "type": GEOJSON, "href": str(request.url)}]
    if offset + limit < page.matched:
        href = str(request.url.include_query_params(offset=offset + limit, limit=limit))
        links.append({"rel": "next", "type": GEOJSON, "href": href})
    if offset > 0:
        href = str(request.url.include_query_params(offset=max(0, offset - limit), limit=limit))
        links.append({"rel": "prev", "type": GEOJSON, "href": href})
    links.append(
        {"rel": "collection", "type": "application/json",
         "href": f"{_root(request)}/collections/{found.id}"}
    )  # fmt: skip
    head = (
        f'{{"type":"FeatureCollection","numberMatched":{page.matched},'
        f'"numberReturned":{page.returned},"features":'
    )
    body = "".join((head, page.features, ',"links":', _json(links), "}"))
    return GeoJSONBody(body.encode())


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    summary="One feature",
    response_class=GeoJSONBody,
    response_model=OgcFeature,
)
def item(
    collection_id: str,
    feature_id: str,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    crs: str | None = Query(None, max_length=200),
    f: Format = None,
) -> GeoJSONBody:
    """One feature (404 when absent or outside the caller's scope)."""
    found = _collection_for(user, collection_id)
    _check_crs(crs, "crs")
    scope = published_scope(user, found)
    feature = ogc.item(session=session, collection_id=found.id, feature_id=feature_id, scope=scope)
    if found.cases:
        audit_case(session, user, request, "read", feature_id, detail={"ogc": found.id})
    root = _root(request)
    links = [
        {"rel": "self", "type": GEOJSON, "href": str(request.url)},
        {"rel": "collection", "type": "application/json",
         "href": f"{root}/collections/{found.id}"},
    ]  # fmt: skip
    # the feature is one JSON object built by PostGIS: its links go in before the closing brace
    body = "".join((feature.rstrip()[:-1], ',"links":', _json(links), "}"))
    return GeoJSONBody(body.encode())
