-- The workflow state of one dispute (the row is re-read after a failed versioned update).
SELECT id, status, version, category, severity, reported_at, deadline, grid_id, assignee,
       assigned_facility_id, supervision
FROM dispute
WHERE id = :id
