-- Put a county's cases that have a position but no grid onto the current grid covering them
-- (new grids loaded after the case came in). Boundary rule as in assign_point_grid.sql. Only
-- positions that place a case in one grid count: a GPS fix (no geocode level) or an address-level
-- match; a case waiting for its location to be checked (位置待核实) keeps no grid.
WITH hit AS (
    SELECT d.id,
           (SELECT g.id FROM grid g
            WHERE g.valid_to IS NULL AND ST_Covers(g.geom, d.geom)
            ORDER BY g.code LIMIT 1) AS grid_id
    FROM dispute d
    WHERE d.county_code = :county AND d.grid_id IS NULL AND d.geom IS NOT NULL
      AND d.location_admin_code IS NULL
      AND (d.geocode_level IS NULL OR d.geocode_level IN ('address', 'address_near', 'group'))
)
UPDATE dispute d
SET grid_id = hit.grid_id, version = d.version + 1
FROM hit
WHERE d.id = hit.id AND hit.grid_id IS NOT NULL
