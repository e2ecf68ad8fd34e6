-- The latest runs, newest first, of one job and/or county (either may be null for all).
SELECT id, job, county_code, started_at, finished_at, outcome, counts, error, host,
       EXTRACT(EPOCH FROM (finished_at - started_at)) AS seconds
FROM job_run
WHERE (CAST(:job AS text) IS NULL OR job = CAST(:job AS text))
  AND (CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text))
ORDER BY started_at DESC, id DESC
LIMIT :limit
