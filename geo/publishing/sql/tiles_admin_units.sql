-- Mapbox vector tile of the admin units (county, townships, villages), with the layer version.
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326) AS lonlat
), rows AS (
    SELECT ST_AsMVTGeom(ST_Transform(u.geom, 3857), b.merc, 4096, 64, true) AS geom,
           u.code, u.level, u.name, u.parent_code, u.synthetic_geom
    FROM admin_unit u, bounds b
    WHERE u.geom IS NOT NULL AND u.geom && b.lonlat
)
SELECT (SELECT version FROM layer_version WHERE layer = 'admin_units') AS version,
       (SELECT ST_AsMVT(rows.*, 'admin_units', 4096, 'geom') FROM rows WHERE geom IS NOT NULL)
           AS tile
