-- The public map of resolved cases: one dot per grid and category (a point inside the grid,
-- never the case's own), with how many were resolved in the last :days days.
SELECT d.category, count(*) AS cases,
       ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
FROM dispute d
JOIN grid g ON g.id = d.grid_id
WHERE d.county_code = :county
  AND d.status IN ('resolved', 'rated', 'archived', 'followed_up')
  AND d.resolved_at >= now() - make_interval(days => CAST(:days AS integer))
GROUP BY g.id, g.geom, d.category
ORDER BY g.id, d.category
