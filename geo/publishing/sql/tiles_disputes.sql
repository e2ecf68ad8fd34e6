-- Mapbox vector tile of the located disputes in the caller's scope (no personal data), with
-- the layer version. Scope parameters as in ogc_src_disputes.sql.
WITH bounds AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.02), 4326) AS lonlat
), rows AS (
    SELECT ST_AsMVTGeom(ST_Transform(d.geom, 3857), b.merc, 4096, 64, true) AS geom,
           d.id, d.category, d.severity, d.status, d.reported_at::text AS reported_at,
           g.code AS grid_code, d.synthetic
    FROM dispute d
    CROSS JOIN bounds b
    LEFT JOIN grid g ON g.id = d.grid_id
    LEFT JOIN facility f ON f.id = d.assigned_facility_id
    WHERE d.geom && b.lonlat
      AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
)
SELECT (SELECT version FROM layer_version WHERE layer = 'disputes') AS version,
       (SELECT ST_AsMVT(rows.*, 'disputes', 4096, 'geom') FROM rows WHERE geom IS NOT NULL)
           AS tile
