-- Pairs of current grids of a county that share at least a point (queen contiguity).
SELECT a.id AS a, b.id AS b
FROM grid a
JOIN grid b ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
WHERE a.valid_to IS NULL AND b.valid_to IS NULL
  AND a.county_code = :county AND b.county_code = :county
