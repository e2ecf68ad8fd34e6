"""Shared by the geocoding benchmarks: the demo county as gazetteer frames (synthetic data)."""

from __future__ import annotations

import pandas as pd


def gazetteer_frames(county) -> dict[str, pd.DataFrame]:
    """Admin units, addresses (lon/lat in WGS84) and centres of a generated demo county."""
    addresses = county.addresses.to_crs(4326)
    addresses = pd.DataFrame(addresses.drop(columns="geometry")).assign(
        lon=addresses.geometry.x, lat=addresses.geometry.y
    )
    facilities = county.facilities.to_crs(4326)
    centres = facilities[
        facilities["kind"].isin(["village_centre", "township_centre", "county_centre"])
    ]
    centres = pd.DataFrame(
        {"admin_code": centres["admin_code"], "lon": centres.geometry.x, "lat": centres.geometry.y}
    )
    admin = pd.DataFrame(county.admin_units.drop(columns="geometry"))
    return {"admin_units": admin, "addresses": addresses, "centres": centres}
