"""Responses of the place layers: ``/api/v1/admin-units``, ``/grids``, ``/addresses`` and
``/health``."""

from __future__ import annotations

from pydantic import Field

from api.geojson import Feature, FeatureCollection
from api.schemas.common import Out, Stamp


class AdminUnitProperties(Out):
    """A county, township or village."""

    code: str
    level: str
    parent_code: str | None
    name: str
    short_name: str | None = None
    county_code: str | None = None
    synthetic_geom: bool | None = Field(None, description="the outline is synthetic")


class AdminUnitFeature(Feature):
    """An administrative unit with its outline."""

    id: str
    properties: AdminUnitProperties


class AdminUnitCollection(FeatureCollection):
    """Administrative units."""

    features: list[AdminUnitFeature]


class GridProperties(Out):
    """A current grid (网格) with its leader."""

    id: int | None = None
    code: str
    name: str | None
    county_code: str | None = None
    township_code: str | None = None
    village_code: str | None = None
    village: str | None = None
    township: str | None = None
    households: int | None = None
    population: int | None = None
    leader: str | None = None
    synthetic: bool | None = None


class GridDetailProperties(GridProperties):
    """One grid with its validity, counts and open cases."""

    valid_from: Stamp | None = None
    valid_to: Stamp | None = None
    area_km2: float | None = None
    addresses: int | None = None
    household_groups: int | None = None
    open_disputes: int | None = None


class GridFeature(Feature):
    """A grid with its polygon."""

    id: str
    properties: GridProperties


class GridCollection(FeatureCollection):
    """Current grids."""

    features: list[GridFeature]


class GridDetail(Feature):
    """One grid (current, or as it was at ``as_of``)."""

    id: str
    properties: GridDetailProperties


class AddressProperties(Out):
    """A standard address (标准地址) and the grid it lies in."""

    code: str
    full_text: str | None
    township: str | None = None
    village: str | None = None
    group_no: int | str | None = None
    road: str | None = None
    number: str | int | None = None
    building: str | None = None
    houses: int | None = None
    residents: int | None = None
    grid_code: str | None = None
    village_code: str | None = None
    synthetic: bool | None = None


class AddressFeature(Feature):
    """A standard address as a point."""

    id: str
    properties: AddressProperties


class AddressPage(FeatureCollection):
    """A page of standard addresses with ``numberMatched`` and a ``next`` link."""

    features: list[AddressFeature]


class DatabaseHealth(Out):
    """Versions and row counts of the database."""

    postgis: str | None = None
    postgres: str | None = None
    admin_units: int | None = None
    grids: int | None = None
    addresses: int | None = None
    disputes: int | None = None
    signals: int | None = None


class HealthOut(Out):
    """The service and its database answer (the details for the county centre only)."""

    status: str
    database: DatabaseHealth | None = None
