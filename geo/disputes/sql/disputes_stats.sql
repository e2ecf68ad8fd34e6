-- The county's dispute figures for one unit and period, in total and per child unit.
-- screened   = disputes received in [from, to)
-- resolved   = of those, the ones that reached 'resolved' before `to` (resolved_at is stamped
--              once, on the way to resolved; later states keep it)
-- still_open = of those, the ones whose status at `to` (last transition before it) is open
-- overdue    = still open at `to` and past their deadline at :at, which is `to`, or now if the
--              period has not ended (core.cases.overdue_as_of)
-- resolved_late = resolved before `to`, after the deadline
-- Unit membership is by grid (a dispute with no grid counts for its county only).
WITH scope AS (
    SELECT d.id, d.reported_at, d.resolved_at, d.deadline, d.satisfaction, d.rating_source,
           g.code AS grid_code, g.village_code, g.township_code,
           CASE CAST(:level AS text)
               WHEN 'county' THEN g.township_code
               WHEN 'township' THEN g.village_code
               WHEN 'village' THEN g.code
           END AS child_code
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    WHERE d.reported_at < CAST(:to AS timestamptz)
      AND (CAST(:from AS timestamptz) IS NULL OR d.reported_at >= CAST(:from AS timestamptz))
      AND (CAST(:category AS text) IS NULL OR d.category = CAST(:category AS text))
      AND CASE CAST(:level AS text)
              WHEN 'county' THEN d.county_code = CAST(:code AS text)
              WHEN 'township' THEN g.township_code = CAST(:code AS text)
              WHEN 'village' THEN g.village_code = CAST(:code AS text)
              WHEN 'grid' THEN g.code = CAST(:code AS text)
          END
),
at_end AS (
    SELECT s.*,
           (SELECT e.to_status FROM dispute_event e
            WHERE e.dispute_id = s.id AND e.action = 'transition'
              AND e.at < CAST(:to AS timestamptz)
            ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status_at_end,
           s.resolved_at < CAST(:to AS timestamptz) AS is_resolved
    FROM scope s
)
SELECT child_code, GROUPING(child_code) AS is_total,
       count(*) AS screened,
       count(*) FILTER (WHERE is_resolved) AS resolved,
       count(*) FILTER (WHERE wangge_is_open(coalesce(status_at_end, 'received'))) AS still_open,
       count(*) FILTER (WHERE wangge_is_open_past_deadline(coalesce(status_at_end, 'received'),
                                                           deadline, CAST(:at AS timestamptz)))
           AS overdue,
       count(*) FILTER (WHERE wangge_is_resolved_late(deadline, resolved_at,
                                                      CAST(:to AS timestamptz))) AS resolved_late,
       count(*) FILTER (WHERE NOT coalesce(is_resolved, false)
                        AND status_at_end IN ('rated', 'archived', 'followed_up'))
           AS closed_unresolved,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM (resolved_at - reported_at)) / 86400.0)
           FILTER (WHERE is_resolved) AS median_days_to_resolve,
       avg(satisfaction) FILTER (WHERE satisfaction IS NOT NULL
                                 AND status_at_end IN ('rated', 'archived', 'followed_up'))
           AS mean_satisfaction,
       count(*) FILTER (WHERE satisfaction IS NOT NULL
                        AND status_at_end IN ('rated', 'archived', 'followed_up')) AS rated,
       count(*) FILTER (WHERE satisfaction IS NOT NULL AND rating_source = 'citizen'
                        AND status_at_end IN ('rated', 'archived', 'followed_up'))
           AS rated_by_citizen,
       count(*) FILTER (WHERE satisfaction >= 4
                        AND status_at_end IN ('rated', 'archived', 'followed_up')) AS satisfied
FROM at_end
GROUP BY GROUPING SETS ((), (child_code))
ORDER BY GROUPING(child_code) DESC, child_code NULLS LAST
