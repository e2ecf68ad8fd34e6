-- Forces per current grid of one county (within an area scope): who serves it by role, the
-- grid leader, the ten-household groups and how many of them have a leader.
-- A person serves a grid when linked in staff_grid, or as its grid leader (grid.leader_id),
-- or as the leader of one of its current groups (household_group.leader_id).
WITH served AS (
    SELECT sg.grid_id, sg.staff_id FROM staff_grid sg
    UNION
    SELECT g.id, g.leader_id FROM grid g WHERE g.leader_id IS NOT NULL AND g.valid_to IS NULL
    UNION
    SELECT h.grid_id, h.leader_id FROM household_group h
    WHERE h.leader_id IS NOT NULL AND h.valid_to IS NULL
), by_role AS (
    SELECT sv.grid_id, s.role, count(DISTINCT s.id) AS n
    FROM served sv JOIN staff s ON s.id = sv.staff_id
    GROUP BY sv.grid_id, s.role
), roles AS (
    SELECT grid_id, jsonb_object_agg(role, n) AS forces, sum(n) AS people
    FROM by_role GROUP BY grid_id
), groups AS (
    SELECT h.grid_id, count(*) AS n_groups,
           array_agg(h.code ORDER BY h.code) FILTER (
               WHERE hl.id IS NULL OR hl.role <> 'household_leader') AS leaderless
    FROM household_group h
    LEFT JOIN staff hl ON hl.id = h.leader_id
    WHERE h.valid_to IS NULL
    GROUP BY h.grid_id
)
SELECT g.id, g.code, g.name, g.township_code, g.village_code,
       t.short_name AS township, v.short_name AS village,
       g.households, g.population,
       gl.code AS leader_code, gl.name AS leader, gl.role AS leader_role,
       coalesce(r.forces, '{}'::jsonb) AS forces, coalesce(r.people, 0) AS people,
       coalesce(gr.n_groups, 0) AS household_groups,
       coalesce(gr.leaderless, ARRAY[]::text[]) AS groups_without_leader,
       g.synthetic,
       CASE WHEN CAST(:with_geom AS boolean) THEN ST_AsBinary(g.geom) END AS wkb
FROM grid g
LEFT JOIN admin_unit t ON t.code = g.township_code
LEFT JOIN admin_unit v ON v.code = g.village_code
LEFT JOIN staff gl ON gl.id = g.leader_id
LEFT JOIN roles r ON r.grid_id = g.id
LEFT JOIN groups gr ON gr.grid_id = g.id
WHERE g.county_code = CAST(:county AS text) AND g.valid_to IS NULL
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
  AND (CAST(:township AS text) IS NULL OR g.township_code = CAST(:township AS text))
  AND (CAST(:village AS text) IS NULL OR g.village_code = CAST(:village AS text))
ORDER BY g.code
