-- The public part of a case's history: each status change and when. No actor, no note: those
-- may name staff or parties.
SELECT e.at, e.from_status, e.to_status
FROM dispute_event e
WHERE e.dispute_id = :dispute_id AND e.action = 'transition'
ORDER BY e.at, e.id
