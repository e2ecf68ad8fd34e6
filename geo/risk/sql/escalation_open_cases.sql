-- Open disputes of one county within the caller's case scope, as reported by :now, with what
-- the escalation factors are computed from (models.escalation.escalation_features): category,
-- severity, times, address and grid (as keys), position. No counting here. A case reported
-- outside the plausible window [:earliest, :latest] (core/dates.py) is left out
-- (escalation_implausible counts them).
SELECT d.id, d.external_id, d.status, d.category, d.severity, d.reported_at, d.deadline,
       d.address_id AS address_key, d.grid_id AS grid_key, g.code AS grid_code,
       g.name AS grid_name, d.synthetic, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.county_code = :county
  AND wangge_is_open(d.status)
  AND d.duplicate_of IS NULL
  AND d.reported_at <= CAST(:now AS timestamptz)
  AND d.reported_at BETWEEN CAST(:earliest AS timestamptz) AND CAST(:latest AS timestamptz)
  AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                      CAST(:scope_facility AS text))
ORDER BY d.id
