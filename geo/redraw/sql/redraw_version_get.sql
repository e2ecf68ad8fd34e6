-- A plan's place in its line of desk edits (no row: an original proposal).
SELECT plan_id, parent_id, root_id, version, units_moved, edited_by, edited_at
FROM grid_plan_version
WHERE plan_id = :plan
