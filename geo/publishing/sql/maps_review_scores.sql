-- Per grid and period of the last :periods periods: the model's risk score, the Gi*
-- z and p (hotspot rows whose method names Gi*), and whether the grid was flagged: one
-- row per grid and period with the methods that flagged it, the class, each method's
-- explanation (model first, Gi* last) and the review status (pending while any is).
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
    -- one row per flagged grid and period, whichever methods flagged it
    SELECT h.grid_id, h.period_start,
           array_agg(DISTINCT h.method) AS methods,
           (array_agg(h.hotspot_class ORDER BY h.hotspot_class IS NULL, h.method = 'gistar',
                      h.method))[1] AS hotspot_class,
           array_agg(h.explanation ORDER BY h.method = 'gistar', h.method = 'emerging', h.method)
               FILTER (WHERE h.explanation IS NOT NULL) AS explanations,
           CASE WHEN bool_or(h.status = 'pending') THEN 'pending'
                WHEN bool_or(h.status = 'confirmed') THEN 'confirmed'
                ELSE min(h.status) END AS status
    FROM hotspot h JOIN periods USING (period_start)
    GROUP BY h.grid_id, h.period_start
)
SELECT g.code AS grid_code, p.period_start, m.score AS model_score, gi.z AS gi_z, gi.p AS gi_p,
       (f.grid_id IS NOT NULL) AS flagged, f.hotspot_class, f.methods,
       f.explanations AS explanation,
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
