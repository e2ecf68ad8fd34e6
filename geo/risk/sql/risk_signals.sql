-- Risk signals of a county placed on a grid.
SELECT s.grid_id, s.observed_at, s.kind, s.weight
FROM signal s
WHERE s.county_code = :county AND s.grid_id IS NOT NULL
ORDER BY s.observed_at
