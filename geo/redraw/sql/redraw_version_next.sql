-- The next version number in the line of desk edits that starts at plan :root.
SELECT coalesce(max(version), 1) + 1 FROM grid_plan_version WHERE root_id = :root
