-- Put a county's signals that have a position but no grid onto the current grid covering them.
WITH hit AS (
    SELECT s.id,
           (SELECT g.id FROM grid g
            WHERE g.valid_to IS NULL AND ST_Covers(g.geom, s.geom)
            ORDER BY g.code LIMIT 1) AS grid_id
    FROM signal s
    WHERE s.county_code = :county AND s.grid_id IS NULL AND s.geom IS NOT NULL
      AND (s.geocode_level IS NULL OR s.geocode_level IN ('address', 'address_near', 'group'))
)
UPDATE signal s
SET grid_id = hit.grid_id
FROM hit
WHERE s.id = hit.id AND hit.grid_id IS NOT NULL
