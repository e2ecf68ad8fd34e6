-- Open disputes of one county within the caller's case scope, with grid, grid leader and
-- the unit a case is routed to, and a point inside the grid (where the map counts the grid's
-- cases at low zoom). No personal details of the parties. A case without a grid routed to a
-- village or township (位置待核实) is in the scope of that unit, and carries its check.
SELECT d.id, d.external_id, d.status, d.category, d.severity, d.reported_at, d.deadline,
       d.location_text, d.assignee, g.code AS grid_code, g.name AS grid_name,
       ST_X(ST_PointOnSurface(g.geom)) AS grid_lon, ST_Y(ST_PointOnSurface(g.geom)) AS grid_lat,
       s.name AS leader, f.name AS assigned_facility, d.synthetic, ST_AsBinary(d.geom) AS wkb,
       d.location_check, lu.name AS location_unit_name
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN admin_unit lu ON lu.code = d.location_admin_code
LEFT JOIN staff s ON s.id = g.leader_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.county_code = :county
  AND wangge_is_open(d.status)
  AND d.duplicate_of IS NULL
  AND wangge_in_scope(coalesce(g.code, d.location_admin_code), d.county_code, f.code,
                      CAST(:scope_area AS text), CAST(:scope_facility AS text))
ORDER BY d.reported_at DESC
LIMIT :limit
