"""The data layer: PostGIS tables, migrations and every SQL statement, in rooms.

``database`` (engine, settings, embedded cluster, migrations, schema, COPY, SQL loader),
``places`` (admin units, grids, addresses, facilities: import, assignment, topology),
``geocode``, ``redraw``, ``disputes`` (intake, the loop, ledger), ``staff``, ``risk`` (scores,
hotspots, escalation reads), ``publishing`` (OGC, tiles, GeoJSON, map layers) and ``accounts``
(users, audit). SQL files sit beside their room in ``geo/<room>/sql/``.
"""
