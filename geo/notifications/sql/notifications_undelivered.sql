-- Reminders not delivered yet (new, or failed fewer than :max_attempts times), oldest first,
-- locked so that two sweeps never send the same one at once.
SELECT n.id, n.dispute_id, d.external_id, n.kind, n.county_code, n.unit_code, n.units,
       n.deadline, n.message, n.created_at, n.attempts
FROM notification n
JOIN dispute d ON d.id = n.dispute_id
WHERE n.delivery_status <> 'delivered'
  AND n.attempts < :max_attempts
  AND (CAST(:county AS text) IS NULL OR n.county_code = CAST(:county AS text))
ORDER BY n.id
LIMIT :limit
FOR UPDATE OF n SKIP LOCKED
