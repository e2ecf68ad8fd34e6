-- Remove a county's model scores for the given periods before they are written again.
DELETE FROM risk_score r
USING grid g
WHERE g.id = r.grid_id AND g.county_code = :county AND r.period = :period
  AND r.period_start = ANY(CAST(:starts AS date[])) AND r.model = :model
