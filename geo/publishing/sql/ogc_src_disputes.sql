-- OGC collection "disputes": located cases inside the caller's scope, without personal data
-- (no parties, description, free-text location or assignee). Scope: wangge_in_scope, the rule
-- of core.principal.Principal.may_see_case (:scope_area a code prefix of the case's grid, a
-- county code also matching cases without a grid; :scope_facility the facility it is routed to).
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
  AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                      CAST(:scope_facility AS text))
