-- One grid (current, or the version valid at :as_of) as a GeoJSON Feature with its context.
SELECT json_build_object(
    'type', 'Feature',
    'id', g.code,
    'geometry', ST_AsGeoJSON(g.geom, 6)::json,
    'properties', json_build_object(
        'id', g.id, 'code', g.code, 'name', g.name,
        'county_code', g.county_code, 'township_code', g.township_code,
        'village_code', g.village_code, 'village', v.short_name, 'township', t.short_name,
        'households', g.households, 'population', g.population,
        'leader', s.name, 'valid_from', g.valid_from, 'valid_to', g.valid_to,
        'synthetic', g.synthetic,
        'area_km2', round((ST_Area(g.geom::geography) / 1e6)::numeric, 4),
        'addresses', (SELECT count(*) FROM address a WHERE a.grid_id = g.id),
        'household_groups', (SELECT count(*) FROM household_group h
                             WHERE h.grid_id = g.id AND h.valid_to IS NULL),
        'open_disputes', (SELECT count(*) FROM dispute d WHERE d.grid_id = g.id
                          AND wangge_is_open(d.status)))
)::text
FROM grid g
JOIN admin_unit v ON v.code = g.village_code
JOIN admin_unit t ON t.code = g.township_code
LEFT JOIN staff s ON s.id = g.leader_id
WHERE g.code = :code
  AND g.valid_from <= coalesce(CAST(:as_of AS timestamptz), now())
  AND (g.valid_to IS NULL OR g.valid_to > coalesce(CAST(:as_of AS timestamptz), now()))
