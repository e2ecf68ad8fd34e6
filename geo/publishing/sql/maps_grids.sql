-- Current grids of one county (within the caller's area scope) with what the grid popup
-- shows: village, leader, households, open cases, and the latest risk score and factors.
WITH latest_risk AS (
    SELECT DISTINCT ON (r.grid_id) r.grid_id, r.score, r.probability, r.rank, r.factors
    FROM risk_score r
    JOIN grid g ON g.id = r.grid_id
    WHERE g.county_code = :county AND g.valid_to IS NULL
    ORDER BY r.grid_id, r.period_start DESC, r.created_at DESC
), open_cases AS (
    SELECT d.grid_id, count(*) AS n
    FROM dispute d
    WHERE d.county_code = :county
      AND wangge_is_open(d.status)
      AND d.duplicate_of IS NULL
    GROUP BY d.grid_id
)
SELECT g.id, g.code, g.name, v.short_name AS village, g.households, g.population,
       s.name AS leader, coalesce(o.n, 0) AS open_cases,
       lr.score AS risk, lr.probability AS risk_probability, lr.rank AS risk_rank, lr.factors,
       g.synthetic,
       ST_AsBinary(g.geom) AS wkb
FROM grid g
LEFT JOIN admin_unit v ON v.code = g.village_code
LEFT JOIN staff s ON s.id = g.leader_id
LEFT JOIN open_cases o ON o.grid_id = g.id
LEFT JOIN latest_risk lr ON lr.grid_id = g.id
WHERE g.county_code = :county AND g.valid_to IS NULL
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
ORDER BY g.code
