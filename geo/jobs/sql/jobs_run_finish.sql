-- A job ends: its outcome, its own figures and, if it failed, why.
UPDATE job_run
SET finished_at = clock_timestamp(),
    outcome = :outcome,
    counts = CAST(:counts AS jsonb),
    error = :error
WHERE id = :id
