-- Record that plan :plan was saved at the redraw desk from plan :parent.
INSERT INTO grid_plan_version (plan_id, parent_id, root_id, version, units_moved, edited_by)
VALUES (:plan, :parent, :root, :version, :units_moved, :edited_by)
RETURNING edited_at
