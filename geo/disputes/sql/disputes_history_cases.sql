-- The stored cases of a replayed history, with their grid, its leader and township centre.
SELECT d.id, d.external_id, d.status, d.version, d.reported_at, d.severity, d.county_code,
       g.code AS grid_code, g.township_code, s.code AS leader_code, f.id AS centre_id,
       f.code AS centre_code
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN staff s ON s.id = g.leader_id
LEFT JOIN facility f ON f.admin_code = g.township_code AND f.kind = 'township_centre'
WHERE d.external_id = ANY(:ids)
