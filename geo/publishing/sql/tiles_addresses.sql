-- Mapbox vector tile of the standard addresses (counts only), with the layer version.
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326) AS lonlat
), rows AS (
    SELECT ST_AsMVTGeom(ST_Transform(a.geom, 3857), b.merc, 4096, 64, true) AS geom,
           a.code, a.full_text, a.houses, a.residents, g.code AS grid_code, a.synthetic
    FROM address a
    CROSS JOIN bounds b
    LEFT JOIN grid g ON g.id = a.grid_id
    WHERE a.geom && b.lonlat
)
SELECT (SELECT version FROM layer_version WHERE layer = 'addresses') AS version,
       (SELECT ST_AsMVT(rows.*, 'addresses', 4096, 'geom') FROM rows WHERE geom IS NOT NULL)
           AS tile
