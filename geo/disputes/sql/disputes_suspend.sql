-- Suspend a case (挂起): the clock stops. The running deadline is held aside until it resumes.
UPDATE dispute d
SET suspended_at = CAST(:at AS timestamptz),
    held_deadline = d.deadline,
    deadline = NULL,
    version = d.version + 1
WHERE d.id = :id AND d.version = :version AND d.suspended_at IS NULL
RETURNING d.version, d.status
