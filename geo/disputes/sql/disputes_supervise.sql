-- Record a supervision act (flag, reminder, escalation) in the dispute's supervision JSON.
-- Versioned like a transition, so a case changed meanwhile is reported, not overwritten.
UPDATE dispute d
SET supervision = jsonb_set(
        coalesce(d.supervision, '{}'::jsonb) || CAST(:patch AS jsonb),
        ARRAY[CAST(:log_key AS text)],
        coalesce(d.supervision -> CAST(:log_key AS text), '[]'::jsonb) || CAST(:entry AS jsonb)),
    version = d.version + 1
WHERE d.id = :id AND d.version = :version
RETURNING d.version, d.status
