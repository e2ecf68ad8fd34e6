-- Open disputes of one county within the caller's case scope, as reported by :now, with what
-- the escalation factors are computed from (models.escalation.escalation_features): category,
-- severity, times, address and grid (as keys), position. No counting here.
SELECT d.id, d.external_id, d.status, d.category, d.severity, d.reported_at, d.deadline,
       d.address_id AS address_key, d.grid_id AS grid_key, g.code AS grid_code,
       g.name AS grid_name, d.synthetic, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.county_code = :county
  AND d.status = ANY(CAST(:open_statuses AS text[]))
  AND d.duplicate_of IS NULL
  AND d.reported_at <= CAST(:now AS timestamptz)
  AND (CAST(:scope_area AS text) IS NULL
       OR g.code LIKE CAST(:scope_area AS text) || '%'
       OR (g.code IS NULL AND d.county_code = CAST(:scope_area AS text)))
  AND (CAST(:scope_facility AS text) IS NULL OR f.code = CAST(:scope_facility AS text))
ORDER BY d.id
