-- Lock the counting of an account and of a client until the transaction ends (advisory locks,
-- always account before client), so that a check and the count of the attempt it lets
-- through cannot interleave with another process's check of the same account or client.
SELECT pg_advisory_xact_lock(hashtextextended('login_failure:account:' || :account, 0)),
       pg_advisory_xact_lock(hashtextextended('login_failure:client:' || :client, 0))
