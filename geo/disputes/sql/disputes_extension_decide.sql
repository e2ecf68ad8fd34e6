-- The centre decides a pending extension request: the request moves to the 'extensions' log
-- and, when approved, the deadline (the held one while suspended) becomes :deadline.
UPDATE dispute d
SET supervision = jsonb_set(
        coalesce(d.supervision, '{}'::jsonb) - 'extension_request',
        '{extensions}',
        coalesce(d.supervision -> 'extensions', '[]'::jsonb) || CAST(:entry AS jsonb)),
    deadline = CASE WHEN :approve AND d.suspended_at IS NULL
                    THEN CAST(:deadline AS timestamptz) ELSE d.deadline END,
    held_deadline = CASE WHEN :approve AND d.suspended_at IS NOT NULL
                         THEN CAST(:deadline AS timestamptz) ELSE d.held_deadline END,
    version = d.version + 1
WHERE d.id = :id AND d.version = :version AND d.supervision -> 'extension_request' IS NOT NULL
RETURNING d.version, d.status
