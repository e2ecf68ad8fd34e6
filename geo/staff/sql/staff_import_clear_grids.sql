-- Forget the grids a staff member served (the sheet lists them anew).
DELETE FROM staff_grid WHERE staff_id = :id
