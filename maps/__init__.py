"""Pure rendering: GeoDataFrames in, ``folium.Map`` / HTML out. No database, no HTTP.

- :mod:`maps.command_room` — the command-room page and its composable layers
  (``add_grid_risk(grids, m=None)`` …, like ``GeoDataFrame.explore``).
- :mod:`maps.hotspots` — the hotspot review page (model risk | Gi*, period slider).
- :mod:`maps.report` — the printable A4 review report.
- :mod:`maps.redraw` — current vs proposed grids.
- :mod:`maps.payloads`, :mod:`maps.features` — the GeoJSON each layer draws and refreshes.
- :mod:`maps.display` — coverage simplification, rounding, GCJ-02 shift for Amap tiles.
- :mod:`maps.assets`, :mod:`maps.base` — offline assets (never a CDN) and the base map.
"""
