-- Set each replayed case to its final state; a case still received is held by no one.
UPDATE dispute d
SET status = r.status,
    version = r.version,
    resolved_at = r.resolved_at,
    satisfaction = r.satisfaction,
    assignee = CASE WHEN r.status <> 'received' THEN r.assignee END,
    assigned_facility_id = CASE WHEN r.status <> 'received' THEN r.facility_id END
FROM history_state r
WHERE d.id = r.id
