-- Open disputes of one county within the caller's case scope, with grid, grid leader and
-- the unit a case is routed to. No personal details of the parties.
SELECT d.id, d.external_id, d.status, d.category, d.severity, d.reported_at, d.deadline,
       d.location_text, d.assignee, g.code AS grid_code, g.name AS grid_name,
       s.name AS leader, f.name AS assigned_facility, d.synthetic, ST_AsBinary(d.geom) AS wkb
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN staff s ON s.id = g.leader_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.county_code = :county
  AND d.status IN ('received', 'routed', 'in_progress', 'unresolved')
  AND d.duplicate_of IS NULL
  AND (CAST(:scope_area AS text) IS NULL
       OR g.code LIKE CAST(:scope_area AS text) || '%'
       OR (g.code IS NULL AND d.county_code = CAST(:scope_area AS text)))
  AND (CAST(:scope_facility AS text) IS NULL OR f.code = CAST(:scope_facility AS text))
ORDER BY d.reported_at DESC
LIMIT :limit
