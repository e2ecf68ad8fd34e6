"""The command-room map: one county (or more) on a video wall, refreshed from the API.

Each ``add_*`` function takes a GeoDataFrame (columns documented on the payload builders
in :mod:`maps.payloads`), adds one dataset and its layers to ``m`` (a new map when
``m`` is None) and returns the map, so layers compose like ``GeoDataFrame.explore``.
With ``url`` the layer re-fetches its payload from that URL whenever the page refreshes.
"""

from __future__ import annotations

import datetime as dt

import folium
import geopandas as gpd

from maps.assets import AssetOptions
from maps.base import (
    Basemap,
    DataLayer,
    Dataset,
    MapScript,
    OfflineFullscreen,
    new_figure,
    new_map,
    to_js,
)
from maps.display import bounds_of, payload_bounds
from maps.payloads import (
    CENTRE_KINDS,
    admin_payload,
    disputes_payload,
    facilities_payload,
    grids_payload,
    hotspots_payload,
)
from maps.styles import FACILITY_STYLE, GRID_FILL_OPACITY
from maps.wall import WALL_ASSETS, add_wall

COMMAND_ROOM_LAYERS = ("admin", "grids", "hotspots", "disputes", "facilities")
COMMAND_ROOM_ASSETS = ["markercluster", "fullscreen"]


def blank_map(
    *,
    title: str = "网格地图 grid map",
    bounds: tuple[float, float, float, float] | None = None,
    basemap: Basemap | None = None,
    assets: AssetOptions | None = None,
    dark: bool = True,
    extra_assets: tuple[str, ...] = (),
) -> folium.Map:
    """An empty offline map in its own page (the start of every composed map)."""
    figure = new_figure(
        title=title,
        dark=dark,
        assets=[*COMMAND_ROOM_ASSETS, *extra_assets],
        options=assets or AssetOptions(),
    )
    m = new_map(bounds=bounds, basemap=basemap or Basemap())
    figure.add_child(m)
    return m


def map_for(m: folium.Map | None, frame: gpd.GeoDataFrame | None) -> folium.Map:
    """``m`` itself, or when it is None a new blank map fitted to ``frame``."""
    return m if m is not None else blank_map(bounds=bounds_of([frame]))


def add_admin_units(
    admin_units: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
) -> folium.Map:
    """County, township and village boundary lines (village names on hover)."""
    m = map_for(m, admin_units)
    m.add_child(Dataset("admin", payload or admin_payload(admin_units, gcj02=gcj02), url))
    village = {
        "mode": "outline",
        "colour": "#475569",
        "weight": 0.8,
        "filter": {"level": "village"},
    }
    township = {
        "mode": "outline",
        "colour": "#7dd3fc",
        "weight": 1.8,
        "filter": {"level": "township"},
    }
    county = {"mode": "outline", "colour": "#f8fafc", "weight": 3, "filter": {"level": "county"}}
    m.add_child(
        DataLayer(
            "polygons",
            "admin",
            name="村界 villages",
            options={**village, "role": "villages", "tooltip": "name"},
        )
    )
    m.add_child(
        DataLayer(
            "polygons",
            "admin",
            name="乡镇界 townships",
            options={**township, "role": "townships", "tooltip": "name"},
        )
    )
    m.add_child(
        DataLayer("polygons", "admin", name="县界 county", options={**county, "role": "county"})
    )
    return m


def add_grid_risk(
    grids: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
) -> folium.Map:
    """Grids filled by risk level; click for leader, households, open cases, risk, factors."""
    m = map_for(m, grids)
    m.add_child(Dataset("grids", payload or grids_payload(grids, gcj02=gcj02), url))
    options = {"role": "grids", "popup": "grid", "fillOpacity": GRID_FILL_OPACITY}
    m.add_child(DataLayer("polygons", "grids", name="网格风险 grid risk", options=options))
    return m


def add_hotspots(
    hotspots: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
) -> folium.Map:
    """Flagged grids outlined in the colour of their emerging hot spot class."""
    m = map_for(m, hotspots)
    m.add_child(Dataset("hotspots", payload or hotspots_payload(hotspots, gcj02=gcj02), url))
    options = {
        "role": "hotspots",
        "mode": "outline",
        "weight": 3.5,
        "fillOpacity": 0.12,
        "popup": "hotspot",
    }
    m.add_child(DataLayer("polygons", "hotspots", name="热点 hotspots", options=options))
    return m


def add_disputes(
    disputes: gpd.GeoDataFrame | None,
    *,
    now: dt.datetime | None = None,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
) -> folium.Map:
    """Open disputes coloured by status, overdue ones ringed in red: counted in one bubble per
    grid below the payload's ``bubble_zoom``, points (clustered when close) from it on.

    ``now`` (default: the current time) decides which cases are overdue.
    """
    m = map_for(m, disputes)
    m.add_child(
        Dataset(
            "disputes",
            payload or disputes_payload(disputes, now=now or dt.datetime.now(dt.UTC), gcj02=gcj02),
            url,
        )
    )
    options = {
        "role": "disputes", "cluster": True, "byGrid": True, "popup": "dispute", "size": 16,
    }  # fmt: skip
    m.add_child(DataLayer("points", "disputes", name="在办纠纷 open disputes", options=options))
    return m


def add_facilities(
    facilities: gpd.GeoDataFrame | None,
    *,
    m: folium.Map | None = None,
    url: str | None = None,
    gcj02: bool = False,
    payload: dict | None = None,
) -> folium.Map:
    """Centres, police stations, court stations, judicial offices … by kind."""
    m = map_for(m, facilities)
    m.add_child(Dataset("facilities", payload or facilities_payload(facilities, gcj02=gcj02), url))
    # Only the county and township centres at first: hundreds of other dots bury the map.
    centres = {"role": "facilities", "popup": "facility", "size": 14, "vector": True}
    centres["filter"] = {"kind": list(CENTRE_KINDS)}
    m.add_child(DataLayer("points", "facilities", name="综治中心 centres", options=centres))
    others = [k for k in FACILITY_STYLE if k not in CENTRE_KINDS and k != "village_centre"]
    units = {"role": "other_facilities", "popup": "facility", "size": 11, "vector": True}
    units["filter"] = {"kind": others}
    m.add_child(
        DataLayer("points", "facilities", name="其他机构 other units", options=units, show=False)
    )
    villages = {"role": "village_centres", "popup": "facility", "size": 9, "vector": True}
    villages["filter"] = {"kind": "village_centre"}
    m.add_child(
        DataLayer(
            "points", "facilities", name="村级中心 village centres", options=villages, show=False
        )
    )
    return m


def add_command_room_controls(
    m: folium.Map,
    *,
    title: str,
    subtitle: str = "",
    refresh_seconds: int = 0,
) -> folium.Map:
    """Title and status panel, legend, search, full-screen button, layer control, refresh."""
    m.add_child(
        MapScript(
            f"wangge.addPanel({{map}}, {{title: {to_js(title)}, subtitle: {to_js(subtitle)}}});"
        )
    )
    legend = [{"key": key} for key in ("grids", "hotspots", "disputes", "facilities", "admin")]
    m.add_child(MapScript(f"wangge.addLegend({{map}}, {to_js(legend)}, 'bottomright');"))
    m.add_child(MapScript("wangge.addSearch({map}, ['grids', 'villages'], 'topright');"))
    m.add_child(
        OfflineFullscreen(
            position="topleft", title="全屏 full screen", title_cancel="退出全屏 exit"
        )
    )
    # collapsed: the layer list is long and the wall shows the legend instead
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    if refresh_seconds > 0:
        m.add_child(MapScript(f"wangge.startRefresh({int(refresh_seconds)});"))
    return m


def command_room_payloads(
    *,
    admin_units: gpd.GeoDataFrame | None,
    grids: gpd.GeoDataFrame | None,
    disputes: gpd.GeoDataFrame | None,
    facilities: gpd.GeoDataFrame | None,
    hotspots: gpd.GeoDataFrame | None,
    now: dt.datetime,
    gcj02: bool = False,
) -> dict[str, dict]:
    """Every command-room layer payload by name (what the page embeds and re-fetches)."""
    return {
        "admin": admin_payload(admin_units, gcj02=gcj02),
        "grids": grids_payload(grids, gcj02=gcj02),
        "hotspots": hotspots_payload(hotspots, gcj02=gcj02),
        "disputes": disputes_payload(disputes, now=now, gcj02=gcj02),
        "facilities": facilities_payload(facilities, gcj02=gcj02),
    }


def command_room_map(
    *,
    admin_units: gpd.GeoDataFrame | None,
    grids: gpd.GeoDataFrame | None,
    disputes: gpd.GeoDataFrame | None,
    facilities: gpd.GeoDataFrame | None,
    hotspots: gpd.GeoDataFrame | None,
    now: dt.datetime,
    basemap: Basemap | None = None,
    **page_options,
) -> folium.Map:
    """The full command-room page from GeoDataFrames (see :func:`command_room_page`).

    ``now`` decides which open disputes are overdue.
    """
    basemap = basemap or Basemap()
    built = command_room_payloads(
        admin_units=admin_units,
        grids=grids,
        disputes=disputes,
        facilities=facilities,
        hotspots=hotspots,
        now=now,
        gcj02=basemap.shift_to_gcj02,
    )
    return command_room_page(built, basemap=basemap, **page_options)


def command_room_page(
    built: dict[str, dict],
    *,
    title: str = "综治中心 网格态势 command room",
    subtitle: str = "",
    data_url: str | None = None,
    data_query: str = "",
    refresh_seconds: int = 60,
    basemap: Basemap | None = None,
    assets: AssetOptions | None = None,
    dark: bool = True,
    live: dict | None = None,
) -> folium.Map:
    """The command-room page from ready payloads (:func:`command_room_payloads`).

    With ``data_url`` (e.g. ``/api/v1/maps/layers``) each layer refreshes from
    ``{data_url}/{layer}{data_query}``; without it the page is a snapshot (a saved file).
    With ``built["wall"]`` the page is laid out as a wall (:mod:`maps.wall`). ``live``
    (``versions``, ``events``, ``wall`` URLs and ``sources``, the data versions of each
    layer) makes the page follow server-sent events and re-fetch only what changed, with a
    check every ``refresh_seconds``; without it every layer is re-fetched each time.
    """
    bounds = payload_bounds([built[k] for k in ("admin", "grids", "disputes", "facilities")])
    wall = "wall" in built
    m = blank_map(
        title=title,
        bounds=bounds,
        basemap=basemap,
        assets=assets,
        dark=dark,
        extra_assets=tuple(WALL_ASSETS) if wall else (),
    )
    if wall:
        add_wall(m, built["wall"], title=title, url=(live or {}).get("wall"))

    def url(layer: str) -> str | None:
        return f"{data_url.rstrip('/')}/{layer}{data_query}" if data_url else None

    add_grid_risk(None, m=m, url=url("grids"), payload=built["grids"])
    add_admin_units(None, m=m, url=url("admin"), payload=built["admin"])
    add_hotspots(None, m=m, url=url("hotspots"), payload=built["hotspots"])
    add_facilities(None, m=m, url=url("facilities"), payload=built["facilities"])
    add_disputes(None, m=m, url=url("disputes"), payload=built["disputes"])
    _add_forces_layers(m, built, url)
    add_command_room_controls(
        m,
        title="" if wall else title,
        subtitle=subtitle,
        refresh_seconds=refresh_seconds if data_url and not live else 0,
    )
    if data_url and live:
        settings = {**live, "seconds": refresh_seconds}
        m.add_child(MapScript(f"wangge.startLive({to_js(settings)});"))
    return m


def _add_forces_layers(m: folium.Map, built: dict[str, dict], url) -> None:
    """Coverage, safety titles (both off at first) and the on-duty panel, when built."""
    from maps.forces import add_coverage, add_on_duty_panel, add_safety

    if "coverage" in built:
        add_coverage(None, m=m, url=url("coverage"), payload=built["coverage"])
    if "safety" in built:
        add_safety(None, m=m, url=url("safety"), payload=built["safety"])
    if "on_duty" in built:
        add_on_duty_panel(None, m=m, url=url("on_duty"), payload=built["on_duty"])


def render_page(m: folium.Map) -> str:
    """The complete HTML page holding ``m``."""
    return m.get_root().render()
