-- Mark a plan applied.
UPDATE grid_plan SET status = 'applied', applied_at = :at, reviewed_by = :actor
WHERE id = :plan
