-- OGC collection "grids": the current grids, id = grid code.
SELECT g.code AS id, g.code AS sort_key, g.geom,
       json_build_object(
           'code', g.code, 'name', g.name, 'county_code', g.county_code,
           'township_code', g.township_code, 'village_code', g.village_code,
           'village', v.short_name, 'township', t.short_name,
           'households', g.households, 'population', g.population,
           'leader', s.name, 'valid_from', g.valid_from, 'synthetic', g.synthetic) AS properties
FROM grid g
JOIN admin_unit v ON v.code = g.village_code
JOIN admin_unit t ON t.code = g.township_code
LEFT JOIN staff s ON s.id = g.leader_id
WHERE g.valid_to IS NULL
