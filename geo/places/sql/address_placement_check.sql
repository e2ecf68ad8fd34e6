-- Addresses whose stored grid disagrees with geometry: not covered by exactly its grid,
-- grid not the first covering grid by code, or outside their village.
SELECT a.code,
       (SELECT count(*) FROM grid g WHERE g.valid_to IS NULL AND ST_Covers(g.geom, a.geom))
           AS covering_grids,
       gr.code AS stored_grid,
       (SELECT g.code FROM grid g WHERE g.valid_to IS NULL AND ST_Covers(g.geom, a.geom)
        ORDER BY g.code LIMIT 1) AS rule_grid,
       ST_Covers(v.geom, a.geom) AS inside_village,
       gr.village_code = a.village_code AS grid_in_same_village
FROM address a
LEFT JOIN grid gr ON gr.id = a.grid_id
LEFT JOIN admin_unit v ON v.code = a.village_code
WHERE a.county_code = :county
