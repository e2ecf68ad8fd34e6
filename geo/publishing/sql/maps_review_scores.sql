-- Per grid and period of the last :periods periods: the model's risk score, the Gi*
-- z and p (hotspot rows whose method names Gi*), and whether any other method flagged
-- the grid, with its class, explanation and review status.
WITH periods AS (
    SELECT DISTINCT period_start
    FROM (
        SELECT r.period_start FROM risk_score r JOIN grid g ON g.id = r.grid_id
        WHERE g.county_code = :county
        UNION
        SELECT h.period_start FROM hotspot h JOIN grid g ON g.id = h.grid_id
        WHERE g.county_code = :county
    ) p
    ORDER BY period_start DESC
    LIMIT :periods
), model AS (
    SELECT DISTINCT ON (r.grid_id, r.period_start) r.grid_id, r.period_start, r.score
    FROM risk_score r JOIN periods USING (period_start)
    ORDER BY r.grid_id, r.period_start, r.created_at DESC
), gi AS (
    SELECT DISTINCT ON (h.grid_id, h.period_start) h.grid_id, h.period_start, h.z, h.p
    FROM hotspot h JOIN periods USING (period_start)
    WHERE h.method ILIKE '%gi%'
    ORDER BY h.grid_id, h.period_start, h.created_at DESC
), flag AS (
    SELECT DISTINCT ON (h.grid_id, h.period_start)
           h.grid_id, h.period_start, h.hotspot_class, h.explanation, h.status
    FROM hotspot h JOIN periods USING (period_start)
    WHERE h.method NOT ILIKE '%gi%' OR h.hotspot_class IS NOT NULL
    ORDER BY h.grid_id, h.period_start, h.score DESC NULLS LAST
)
SELECT g.code AS grid_code, p.period_start, m.score AS model_score, gi.z AS gi_z, gi.p AS gi_p,
       (f.grid_id IS NOT NULL) AS flagged, f.hotspot_class, f.explanation,
       f.status AS review_status, g.synthetic
FROM grid g
CROSS JOIN periods p
LEFT JOIN model m ON m.grid_id = g.id AND m.period_start = p.period_start
LEFT JOIN gi ON gi.grid_id = g.id AND gi.period_start = p.period_start
LEFT JOIN flag f ON f.grid_id = g.id AND f.period_start = p.period_start
WHERE g.county_code = :county AND g.valid_to IS NULL
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
  AND (m.score IS NOT NULL OR gi.z IS NOT NULL OR f.grid_id IS NOT NULL)
ORDER BY p.period_start, g.code
