-- OGC collection "disputes": located cases inside the caller's scope, without personal data
-- (no parties, description, free-text location or assignee). Scope: :scope_area is a code
-- prefix of the case's grid (a county code also matches cases without a grid);
-- :scope_facility the facility the case is routed to.
SELECT d.id, d.id AS sort_key, d.geom,
       json_build_object(
           'id', d.id, 'category', d.category, 'severity', d.severity, 'status', d.status,
           'reported_at', d.reported_at, 'deadline', d.deadline, 'resolved_at', d.resolved_at,
           'grid_code', g.code, 'township_code', g.township_code,
           'county_code', d.county_code, 'facility_code', f.code,
           'geocode_level', d.geocode_level, 'synthetic', d.synthetic) AS properties
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.geom IS NOT NULL
  AND (CAST(:scope_area AS text) IS NULL
       OR g.code LIKE CAST(:scope_area AS text) || '%'
       OR (length(CAST(:scope_area AS text)) = 6 AND d.county_code = CAST(:scope_area AS text)))
  AND (CAST(:scope_facility AS text) IS NULL OR f.code = CAST(:scope_facility AS text))
