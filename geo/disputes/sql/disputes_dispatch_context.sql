-- What dispatch needs to know about one dispute: its point, grid and leader, the
-- ten-household group (from its standard address, else the group covering its point),
-- village and township. A case without a grid that intake routed to a village or township
-- (location_admin_code, 位置待核实) takes that unit as its village or township.
SELECT d.id, d.category, d.severity, d.status, d.description, d.county_code,
       ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat,
       g.id AS grid_id, g.code AS grid_code, g.name AS grid_name,
       coalesce(g.village_code, CASE WHEN lu.level = 'village' THEN lu.code END) AS village_code,
       coalesce(g.township_code, CASE lu.level WHEN 'village' THEN lu.parent_code
                                               WHEN 'township' THEN lu.code END) AS township_code,
       CASE WHEN g.id IS NULL THEN d.location_admin_code END AS location_unit,
       v.name AS village_name, t.name AS township_name,
       gl.code AS grid_leader_code, gl.name AS grid_leader_name,
       hg.code AS group_code, hl.code AS group_leader_code, hl.name AS group_leader_name
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN admin_unit lu ON lu.code = d.location_admin_code AND d.grid_id IS NULL
LEFT JOIN admin_unit v
       ON v.code = coalesce(g.village_code, CASE WHEN lu.level = 'village' THEN lu.code END)
LEFT JOIN admin_unit t
       ON t.code = coalesce(g.township_code, CASE lu.level WHEN 'village' THEN lu.parent_code
                                                          WHEN 'township' THEN lu.code END)
LEFT JOIN staff gl ON gl.id = g.leader_id
LEFT JOIN address a ON a.id = d.address_id
LEFT JOIN LATERAL (
    SELECT h.code, h.leader_id
    FROM household_group h
    WHERE h.valid_to IS NULL
      AND (h.id = a.household_group_id
           -- a point without a grid (a village centre, 位置待核实) names no group
           OR (a.household_group_id IS NULL AND d.grid_id IS NOT NULL AND d.geom IS NOT NULL
               AND ST_Covers(h.geom, d.geom)))
    ORDER BY (h.id = a.household_group_id) DESC NULLS LAST, h.code
    LIMIT 1
) hg ON true
LEFT JOIN staff hl ON hl.id = hg.leader_id
WHERE d.id = :id
