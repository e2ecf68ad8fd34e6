-- Open disputes of one county within the caller's case scope that escalation_open_cases leaves
-- out because they were reported outside the plausible window [:earliest, :latest]
-- (core/dates.py).
SELECT count(*)
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.county_code = :county
  AND wangge_is_open(d.status)
  AND d.duplicate_of IS NULL
  AND NOT d.reported_at BETWEEN CAST(:earliest AS timestamptz) AND CAST(:latest AS timestamptz)
  AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                      CAST(:scope_facility AS text))
