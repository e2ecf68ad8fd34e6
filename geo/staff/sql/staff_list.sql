-- Staff of one county with the grids they serve (linked, as grid or group leader) (no contact details), filtered by role,
-- unit, grid, township and the caller's area scope (a person is in an area when their unit
-- lies in it or they serve a grid in it).
WITH served AS (
    SELECT sg.staff_id, g.code AS grid_code, g.township_code
    FROM staff_grid sg JOIN grid g ON g.id = sg.grid_id AND g.valid_to IS NULL
    UNION
    SELECT g.leader_id, g.code, g.township_code FROM grid g
    WHERE g.leader_id IS NOT NULL AND g.valid_to IS NULL
    UNION
    SELECT h.leader_id, g.code, g.township_code
    FROM household_group h JOIN grid g ON g.id = h.grid_id AND g.valid_to IS NULL
    WHERE h.leader_id IS NOT NULL AND h.valid_to IS NULL
), picked AS (
    SELECT s.id
    FROM staff s
    WHERE s.county_code = CAST(:county AS text)
      AND (CAST(:code AS text) IS NULL OR s.code = CAST(:code AS text))
      AND (CAST(:role AS text) IS NULL OR s.role = CAST(:role AS text))
      AND (CAST(:unit AS text) IS NULL OR s.unit_code = CAST(:unit AS text))
      AND (CAST(:grid AS text) IS NULL
           OR EXISTS (SELECT 1 FROM served v WHERE v.staff_id = s.id
                      AND v.grid_code = CAST(:grid AS text)))
      AND (CAST(:township AS text) IS NULL
           OR s.unit_code LIKE CAST(:township AS text) || '%'
           OR EXISTS (SELECT 1 FROM served v WHERE v.staff_id = s.id
                      AND v.township_code = CAST(:township AS text)))
      AND (wangge_covers_area(s.unit_code, CAST(:scope_area AS text))
           OR EXISTS (SELECT 1 FROM served v WHERE v.staff_id = s.id
                      AND wangge_covers_area(v.grid_code, CAST(:scope_area AS text))))
)
SELECT s.id, s.code, s.name, s.role, s.unit_code, u.name AS unit_name, s.synthetic,
       (SELECT array_agg(DISTINCT v.grid_code ORDER BY v.grid_code)
        FROM served v WHERE v.staff_id = s.id) AS grids,
       (SELECT h.code FROM household_group h
        WHERE h.leader_id = s.id AND h.valid_to IS NULL ORDER BY h.code LIMIT 1)
           AS household_group,
       count(*) OVER () AS matched
FROM picked p
JOIN staff s ON s.id = p.id
LEFT JOIN admin_unit u ON u.code = s.unit_code
ORDER BY s.code
LIMIT :limit OFFSET :offset
