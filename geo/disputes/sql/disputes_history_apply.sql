-- Set each replayed case to its final state; a case still received is held by no one.
UPDATE dispute d
SET status = r.status,
    version = r.version,
    resolved_at = r.resolved_at,
    satisfaction = r.satisfaction,
    rating_source = r.rating_source,
    assignee = CASE WHEN r.status <> 'received' THEN r.assignee END,
    assignee_staff = CASE WHEN r.status <> 'received' THEN r.assignee END,
    assignee_unit = CASE WHEN r.status <> 'received' THEN r.assignee_unit END,
    assigned_facility_id = CASE WHEN r.status <> 'received' THEN r.facility_id END,
    routed_by = CASE WHEN r.status <> 'received' THEN r.routed_by END
FROM history_state r
WHERE d.id = r.id
