-- Current grids as a GeoJSON FeatureCollection, optionally filtered by township, village, bbox.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', g.code,
        'geometry', ST_AsGeoJSON(g.geom, 6)::json,
        'properties', json_build_object(
            'id', g.id, 'code', g.code, 'name', g.name,
            'county_code', g.county_code, 'township_code', g.township_code,
            'village_code', g.village_code, 'village', v.short_name, 'township', t.short_name,
            'households', g.households, 'population', g.population,
            'leader', s.name, 'synthetic', g.synthetic)
    ) ORDER BY g.code), '[]'::json)
)::text
FROM grid g
JOIN admin_unit v ON v.code = g.village_code
JOIN admin_unit t ON t.code = g.township_code
LEFT JOIN staff s ON s.id = g.leader_id
WHERE g.valid_to IS NULL
  AND (CAST(:township AS text) IS NULL OR g.township_code = CAST(:township AS text))
  AND (CAST(:village AS text) IS NULL OR g.village_code = CAST(:village AS text))
  AND (CAST(:minx AS float8) IS NULL
       OR g.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326))
