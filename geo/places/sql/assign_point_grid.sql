-- The grid holding a point. A point on a shared boundary is covered by several grids: it goes
-- to the one whose code sorts first, so the answer never depends on row order or on the plan.
SELECT g.id, g.code
FROM grid g
WHERE g.valid_to IS NULL
  AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
ORDER BY g.code
LIMIT 1
