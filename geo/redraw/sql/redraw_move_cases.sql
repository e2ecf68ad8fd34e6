-- Move disputes and signals off the closed grids: to the new grid holding their point, else to
-- the successor of their old grid (rows: old_id, new_code).
WITH successor AS (
    SELECT r.old_id, g.id AS new_id, g.village_code
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(old_id bigint, new_code text)
    JOIN grid g ON g.code = r.new_code AND g.valid_to IS NULL
), disputes AS (
    UPDATE dispute d
    SET grid_id = coalesce((SELECT g.id FROM grid g
                            WHERE d.geom IS NOT NULL AND g.valid_to IS NULL
                              AND g.village_code = s.village_code
                              AND ST_Intersects(g.geom, d.geom)
                            ORDER BY g.code LIMIT 1), s.new_id)
    FROM successor s
    WHERE d.grid_id = s.old_id
    RETURNING d.id
), signals AS (
    UPDATE signal x
    SET grid_id = coalesce((SELECT g.id FROM grid g
                            WHERE x.geom IS NOT NULL AND g.valid_to IS NULL
                              AND g.village_code = s.village_code
                              AND ST_Intersects(g.geom, x.geom)
                            ORDER BY g.code LIMIT 1), s.new_id)
    FROM successor s
    WHERE x.grid_id = s.old_id
    RETURNING x.id
), staff AS (
    INSERT INTO staff_grid (staff_id, grid_id)
    SELECT DISTINCT sg.staff_id, s.new_id
    FROM staff_grid sg JOIN successor s ON s.old_id = sg.grid_id
    ON CONFLICT DO NOTHING
    RETURNING staff_id
)
SELECT (SELECT count(*) FROM disputes) AS disputes, (SELECT count(*) FROM signals) AS signals,
       (SELECT count(*) FROM staff) AS staff_links
