-- Put every address of a county (or all) onto the current grid covering it, by the index.
-- Boundary rule as in assign_point_grid.sql: the covering grid whose code sorts first.
UPDATE address a
SET grid_id = hit.id
FROM (
    SELECT a2.id AS address_id,
           (SELECT g.id FROM grid g
            WHERE g.valid_to IS NULL AND ST_Covers(g.geom, a2.geom)
            ORDER BY g.code LIMIT 1) AS id
    FROM address a2
    WHERE CAST(:county AS text) IS NULL OR a2.county_code = CAST(:county AS text)
) hit
WHERE a.id = hit.address_id
  AND a.grid_id IS DISTINCT FROM hit.id
