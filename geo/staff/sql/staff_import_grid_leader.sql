-- Make a staff member the leader of a current grid.
UPDATE grid SET leader_id = :id WHERE code = :grid AND valid_to IS NULL
