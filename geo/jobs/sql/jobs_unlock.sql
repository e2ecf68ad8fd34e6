-- Release the advisory lock taken by jobs_try_lock.sql.
SELECT pg_advisory_unlock(hashtext('wangge-job:' || :job), hashtext(:county))
