-- Mapbox vector tile of the hotspots of the latest period of each method, drawn as grids.
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326) AS lonlat
), latest AS (
    SELECT method, max(period_start) AS period_start FROM hotspot GROUP BY method
), rows AS (
    SELECT ST_AsMVTGeom(ST_Transform(g.geom, 3857), b.merc, 4096, 64, true) AS geom,
           h.id, g.code AS grid_code, h.method, h.period_start::text AS period_start,
           h.score, h.z, h.hotspot_class, h.status, g.synthetic
    FROM hotspot h
    JOIN latest l ON l.method = h.method AND l.period_start = h.period_start
    JOIN grid g ON g.id = h.grid_id
    CROSS JOIN bounds b
    WHERE g.geom && b.lonlat
)
SELECT (SELECT version FROM layer_version WHERE layer = 'hotspots') AS version,
       (SELECT ST_AsMVT(rows.*, 'hotspots', 4096, 'geom') FROM rows WHERE geom IS NOT NULL)
           AS tile
