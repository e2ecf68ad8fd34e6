-- The notifications addressed to any of the unit keys :keys, on cases inside the caller's
-- scope, newest first, with the caller's read mark; :id picks one, :unread_only the unread.
SELECT n.id, n.dispute_id, d.external_id, n.kind, n.county_code, n.unit_code, n.units,
       n.deadline, n.message, n.created_at, n.delivery_status, r.read_at,
       count(*) FILTER (WHERE r.read_at IS NULL) OVER () AS unread_total
FROM notification n
JOIN dispute d ON d.id = n.dispute_id
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = :username
WHERE n.units && CAST(:keys AS text[])
  AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                      CAST(:scope_facility AS text))
  AND (CAST(:id AS bigint) IS NULL OR n.id = CAST(:id AS bigint))
  AND (NOT CAST(:unread_only AS boolean) OR r.read_at IS NULL)
ORDER BY n.created_at DESC, n.id DESC
LIMIT :limit
