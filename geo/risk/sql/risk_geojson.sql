-- Model risk per current grid for one period (default: the latest scored), as GeoJSON.
WITH target AS (
    SELECT coalesce(CAST(:period_start AS date), max(r.period_start)) AS period_start
    FROM risk_score r JOIN grid g ON g.id = r.grid_id
    WHERE g.county_code = :county AND r.period = :period
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'period', :period,
    'period_start', (SELECT period_start FROM target),
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', g.code,
        'geometry', CASE WHEN :with_geometry THEN ST_AsGeoJSON(g.geom, 6)::json END,
        'properties', json_build_object(
            'grid_code', g.code, 'grid', g.name, 'village_code', g.village_code,
            'households', g.households, 'expected', round(r.expected::numeric, 4),
            'probability', round(r.probability::numeric, 4),
            'score', round(r.score::numeric, 4), 'rank', r.rank, 'factors', r.factors,
            'model', r.model, 'synthetic', g.synthetic)
    ) ORDER BY r.rank), '[]'::json)
)::text
FROM risk_score r
JOIN grid g ON g.id = r.grid_id
JOIN target t ON t.period_start = r.period_start
WHERE g.county_code = :county AND r.period = :period AND g.valid_to IS NULL
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
  AND (CAST(:top AS int) IS NULL OR r.rank <= CAST(:top AS int))
