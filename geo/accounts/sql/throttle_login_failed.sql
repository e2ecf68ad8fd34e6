-- Count one failed login against the account and the client in one atomic statement: each row
-- is locked while it is bumped, so failures from every server process add up. A count whose
-- last failure is older than the window starts again at 1. Returns the new counts.
INSERT INTO login_failure AS f (kind, key, failures, last_failed_at)
VALUES ('account', :account, 1, CAST(:now AS timestamptz)),
       ('client', :client, 1, CAST(:now AS timestamptz))
ON CONFLICT (kind, key) DO UPDATE SET
    failures = CASE
        WHEN f.last_failed_at <= CAST(:now AS timestamptz) - make_interval(secs => :window)
        THEN 1 ELSE f.failures + 1 END,
    last_failed_at = GREATEST(f.last_failed_at, EXCLUDED.last_failed_at)
RETURNING kind, failures
