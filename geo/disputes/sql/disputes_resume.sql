-- Resume a suspended case: the clock runs again from :deadline (the held one moved on).
UPDATE dispute d
SET deadline = CAST(:deadline AS timestamptz),
    held_deadline = NULL,
    suspended_at = NULL,
    version = d.version + 1
WHERE d.id = :id AND d.version = :version AND d.suspended_at IS NOT NULL
RETURNING d.version, d.status
