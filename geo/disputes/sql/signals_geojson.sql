-- Risk signals as a GeoJSON FeatureCollection, filtered by kind, grid, township, period and
-- the caller's area scope (code prefix).
WITH hits AS (
    SELECT s.*, g.code AS grid_code, g.village_code, g.township_code
    FROM signal s
    LEFT JOIN grid g ON g.id = s.grid_id
    WHERE (CAST(:kind AS text) IS NULL OR s.kind = CAST(:kind AS text))
      AND (CAST(:grid AS text) IS NULL OR g.code = CAST(:grid AS text))
      AND (CAST(:township AS text) IS NULL OR g.township_code = CAST(:township AS text))
      AND (CAST(:from AS timestamptz) IS NULL OR s.observed_at >= CAST(:from AS timestamptz))
      AND (CAST(:to AS timestamptz) IS NULL OR s.observed_at < CAST(:to AS timestamptz))
      AND wangge_in_scope(g.code, s.county_code, NULL, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
),
page AS (
    SELECT * FROM hits ORDER BY observed_at DESC, id DESC LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM hits) AS matched,
       coalesce(json_agg(json_build_object(
           'type', 'Feature',
           'id', p.id,
           'geometry', ST_AsGeoJSON(p.geom, 6)::json,
           'properties', json_build_object(
               'id', p.id, 'external_id', p.external_id, 'kind', p.kind,
               'observed_at', p.observed_at, 'weight', p.weight, 'grid', p.grid_code,
               'village', p.village_code, 'township', p.township_code,
               'geocode_level', p.geocode_level, 'location_text', p.location_text,
               'synthetic', p.synthetic)
       ) ORDER BY p.observed_at DESC, p.id DESC), '[]'::json)::text AS features
FROM page p
