-- After a grid import replaced the geometry of some grids (rows: old_id, new_id; same code):
-- carry staff links and current household groups over to the new row, put the addresses of
-- the affected villages on the current grid covering them (boundary rule of
-- assign_point_grid.sql: the covering grid whose code sorts first; none stays none), and move
-- disputes and signals of the closed rows to the grid covering their point, else the successor.
WITH pairs AS (
    SELECT r.old_id, r.new_id
    FROM jsonb_to_recordset(CAST(:pairs AS jsonb)) AS r(old_id bigint, new_id bigint)
), staff AS (
    INSERT INTO staff_grid (staff_id, grid_id)
    SELECT DISTINCT sg.staff_id, p.new_id
    FROM staff_grid sg JOIN pairs p ON p.old_id = sg.grid_id
    ON CONFLICT DO NOTHING
    RETURNING staff_id
), groups AS (
    UPDATE household_group h SET grid_id = p.new_id
    FROM pairs p
    WHERE h.grid_id = p.old_id AND h.valid_to IS NULL
    RETURNING h.id
), hit AS (
    SELECT a.id AS address_id,
           (SELECT g.id FROM grid g
            WHERE g.valid_to IS NULL AND ST_Covers(g.geom, a.geom)
            ORDER BY g.code LIMIT 1) AS grid_id
    FROM address a
    WHERE a.grid_id IN (SELECT old_id FROM pairs)
       OR a.village_code = ANY(:villages)
       OR a.grid_id IN (SELECT id FROM grid WHERE village_code = ANY(:villages))
       OR (a.grid_id IS NULL AND EXISTS (
              SELECT 1 FROM grid g
              WHERE g.valid_to IS NULL AND g.village_code = ANY(:villages)
                AND ST_Covers(g.geom, a.geom)))
), addresses AS (
    UPDATE address a SET grid_id = hit.grid_id
    FROM hit
    WHERE a.id = hit.address_id AND a.grid_id IS DISTINCT FROM hit.grid_id
    RETURNING a.id
), disputes AS (
    UPDATE dispute d
    SET grid_id = coalesce((SELECT g.id FROM grid g
                            WHERE d.geom IS NOT NULL AND g.valid_to IS NULL
                              AND ST_Covers(g.geom, d.geom)
                            ORDER BY g.code LIMIT 1), p.new_id)
    FROM pairs p
    WHERE d.grid_id = p.old_id
    RETURNING d.id
), signals AS (
    UPDATE signal x
    SET grid_id = coalesce((SELECT g.id FROM grid g
                            WHERE x.geom IS NOT NULL AND g.valid_to IS NULL
                              AND ST_Covers(g.geom, x.geom)
                            ORDER BY g.code LIMIT 1), p.new_id)
    FROM pairs p
    WHERE x.grid_id = p.old_id
    RETURNING x.id
)
SELECT (SELECT count(*) FROM staff) AS staff_links, (SELECT count(*) FROM groups) AS groups,
       (SELECT count(*) FROM addresses) AS addresses, (SELECT count(*) FROM disputes) AS disputes,
       (SELECT count(*) FROM signals) AS signals
