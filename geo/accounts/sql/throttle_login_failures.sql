-- The live failure counts of an account and a client (none older than the window).
SELECT kind, failures, last_failed_at
FROM login_failure
WHERE ((kind = 'account' AND key = :account) OR (kind = 'client' AND key = :client))
  AND last_failed_at > CAST(:now AS timestamptz) - make_interval(secs => :window)
