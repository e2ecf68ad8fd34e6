-- Admin units as a GeoJSON FeatureCollection, filtered by level and parent.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', u.code,
        'geometry', ST_AsGeoJSON(u.geom, 6)::json,
        'properties', json_build_object(
            'code', u.code, 'level', u.level, 'parent_code', u.parent_code,
            'name', u.name, 'short_name', u.short_name, 'county_code', u.county_code,
            'synthetic_geom', u.synthetic_geom)
    ) ORDER BY u.code), '[]'::json)
)::text
FROM admin_unit u
WHERE (CAST(:level AS text) IS NULL OR u.level = CAST(:level AS text))
  AND (CAST(:parent AS text) IS NULL OR u.parent_code = CAST(:parent AS text))
  AND (CAST(:county AS text) IS NULL OR u.county_code = CAST(:county AS text))
