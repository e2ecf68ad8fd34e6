-- The period (its first day) that the latest successful nightly run scored for a county.
SELECT counts ->> 'period_start' AS period_start
FROM job_run
WHERE job = 'nightly' AND county_code = :county AND outcome = 'ok'
  AND counts ->> 'period_start' IS NOT NULL
ORDER BY started_at DESC, id DESC
LIMIT 1
