-- Disputes of a county placed on a grid (duplicates excluded), with what the panel reads.
-- closed_at: when the case first left the open set (core/cases.py), e.g. resolved or archived;
-- a case marked unresolved is still open. A dispute reported outside the plausible window
-- [:earliest, :latest] (core/dates.py) is left out and counted by risk_implausible.
SELECT d.id, d.grid_id, d.reported_at, d.category, d.severity, d.status, d.deadline,
       d.resolved_at,
       (SELECT min(e.at) FROM dispute_event e WHERE e.dispute_id = d.id
          AND NOT wangge_is_open(e.to_status)) AS closed_at
FROM dispute d
WHERE d.county_code = :county AND d.grid_id IS NOT NULL AND d.duplicate_of IS NULL
  AND d.reported_at BETWEEN CAST(:earliest AS timestamptz) AND CAST(:latest AS timestamptz)
ORDER BY d.reported_at
