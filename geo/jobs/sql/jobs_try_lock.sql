-- Take the session-level advisory lock of one job and county, without waiting: true when taken.
-- The two-key form keeps job locks apart from any other advisory lock the database uses.
SELECT pg_try_advisory_lock(hashtext('wangge-job:' || :job), hashtext(:county)) AS taken
