"""Loading the gazetteer from PostGIS and keeping a cached copy current.

The whole gazetteer is a few queries (units, addresses, centres, landmarks, the alias
table, grid names); a cached copy is checked
against :func:`gazetteer_version` (row counts and highest ids, one cheap query) before use
and rebuilt only when that changes.
"""

from __future__ import annotations

import threading

import pandas as pd
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.match import Geocoder


def gazetteer_version(*, session: Session) -> tuple:
    """Fingerprint of the rows the gazetteer is built from (changes on insert/delete)."""
    return tuple(session.execute(sql("geocode_version")).one())


def load_gazetteer(*, session: Session, county: str | None = None) -> Gazetteer:
    """Read admin units, addresses and centres (of one county, or all) into a Gazetteer."""
    version = gazetteer_version(session=session)
    params = {"county": county}
    units = pd.DataFrame(session.execute(sql("geocode_units"), params).mappings().all())
    if units.empty:
        units = pd.DataFrame(columns=["code", "level", "name", "parent_code", "county_code"])
    addresses = pd.DataFrame(session.execute(sql("geocode_addresses"), params).mappings().all())
    if addresses.empty:
        addresses = pd.DataFrame(
            columns=[
                "code", "county_code", "township_code", "village_code", "full_text",
                "group_no", "lon", "lat", "grid_code",
            ]
        )  # fmt: skip
    centres = pd.DataFrame(session.execute(sql("geocode_centres"), params).mappings().all())
    landmarks = pd.DataFrame(session.execute(sql("geocode_landmarks"), params).mappings().all())
    aliases = pd.DataFrame(session.execute(sql("geocode_aliases"), params).mappings().all())
    grid_names = dict(session.execute(sql("geocode_grid_names"), params).all())
    return Gazetteer.from_frames(
        admin_units=units, addresses=addresses, centres=centres, aliases=aliases,
        landmarks=landmarks, grid_names=grid_names, version=version,
    )  # fmt: skip


class GeocoderCache:
    """One :class:`Geocoder` per process, rebuilt when the database rows change."""

    def __init__(self, *, county: str | None = None) -> None:
        self.county = county
        self._geocoder: Geocoder | None = None
        self._lock = threading.Lock()
        self.loads = 0

    def get(self, *, session: Session) -> Geocoder:
        """The current geocoder, reloading the gazetteer if its version moved."""
        version = gazetteer_version(session=session)
        geocoder = self._geocoder
        if geocoder is not None and geocoder.gazetteer.version == version:
            return geocoder
        with self._lock:
            geocoder = self._geocoder
            if geocoder is None or geocoder.gazetteer.version != version:
                gazetteer = load_gazetteer(session=session, county=self.county)
                geocoder = Geocoder(gazetteer)
                self._geocoder = geocoder
                self.loads += 1
            return geocoder
