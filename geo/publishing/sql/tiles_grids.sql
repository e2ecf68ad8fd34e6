-- Mapbox vector tile of the current grids, with the layer's version read in the same snapshot.
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326) AS lonlat
), rows AS (
    SELECT ST_AsMVTGeom(ST_Transform(g.geom, 3857), b.merc, 4096, 64, true) AS geom,
           g.code, g.name, g.township_code, g.village_code, g.households, g.population,
           g.synthetic
    FROM grid g, bounds b
    WHERE g.valid_to IS NULL AND g.geom && b.lonlat
)
SELECT (SELECT version FROM layer_version WHERE layer = 'grids') AS version,
       (SELECT ST_AsMVT(rows.*, 'grids', 4096, 'geom') FROM rows WHERE geom IS NOT NULL) AS tile
