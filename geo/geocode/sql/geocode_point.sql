-- Reverse geocoding, part 1: the current grid covering a WGS84 point (first code on a
-- shared boundary, as in assign_point_grid.sql) with its village, township and county.
SELECT g.id AS grid_id, g.code AS grid_code, g.name AS grid_name,
       g.village_code, v.name AS village_name, g.township_code, t.name AS township_name,
       g.county_code
FROM grid g
LEFT JOIN admin_unit v ON v.code = g.village_code
LEFT JOIN admin_unit t ON t.code = g.township_code
WHERE g.valid_to IS NULL
  AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
ORDER BY g.code
LIMIT 1
