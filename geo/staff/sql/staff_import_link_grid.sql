-- Link a staff member to a current grid.
INSERT INTO staff_grid (staff_id, grid_id)
SELECT :id, g.id FROM grid g WHERE g.code = :grid AND g.valid_to IS NULL
ON CONFLICT DO NOTHING
