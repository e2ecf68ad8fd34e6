-- Hotspot rows (flagged grids with their review) as GeoJSON, newest period first.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', h.id,
        'geometry', CASE WHEN :with_geometry THEN ST_AsGeoJSON(g.geom, 6)::json END,
        'properties', json_build_object(
            'id', h.id, 'grid_code', g.code, 'grid', g.name, 'period', h.period,
            'period_start', h.period_start, 'method', h.method, 'score', h.score, 'z', h.z,
            'p', h.p, 'class', h.hotspot_class, 'explanation', h.explanation,
            'status', h.status, 'reviewer', h.reviewer, 'review_note', h.review_note,
            'action_taken', h.action_taken, 'reviewed_at', h.reviewed_at,
            'synthetic', g.synthetic)
    ) ORDER BY h.period_start DESC, h.score DESC NULLS LAST), '[]'::json)
)::text
FROM hotspot h
JOIN grid g ON g.id = h.grid_id
WHERE g.county_code = :county
  AND (CAST(:period_start AS date) IS NULL OR h.period_start = CAST(:period_start AS date))
  AND (CAST(:latest AS boolean) IS NOT TRUE OR h.period_start =
       (SELECT max(h2.period_start) FROM hotspot h2 JOIN grid g2 ON g2.id = h2.grid_id
        WHERE g2.county_code = :county))
  AND (CAST(:method AS text) IS NULL OR h.method = CAST(:method AS text))
  AND (CAST(:status AS text) IS NULL OR h.status = CAST(:status AS text))
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
