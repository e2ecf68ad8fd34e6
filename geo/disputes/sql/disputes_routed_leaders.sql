-- The grid leaders of a village's or a township's current grids (names and grid codes, no
-- contact details: those pass through geo.staff.directory), with their open workload.
SELECT s.id, s.code, s.name, g.code AS grid_code, g.name AS grid_name,
       (SELECT count(*) FROM dispute o
        WHERE o.assignee = s.code AND wangge_is_open(o.status)) AS open_workload
FROM grid g
JOIN staff s ON s.id = g.leader_id
WHERE g.valid_to IS NULL
  AND (g.village_code = :code OR g.township_code = :code)
ORDER BY g.code COLLATE "C"
LIMIT :limit
