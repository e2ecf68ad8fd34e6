-- The first event of each new dispute: intake (no previous status → received).
INSERT INTO dispute_event (dispute_id, at, actor, action, from_status, to_status, note)
SELECT d.id, d.reported_at, CAST(:actor AS text), 'transition', NULL, 'received',
       CAST(:note AS text)
FROM dispute d
WHERE d.id = ANY(CAST(:ids AS bigint[]))
