-- Open disputes past their deadline at :now, with how far past, for the escalation sweep.
SELECT d.id, d.version, d.status, d.severity, d.deadline, d.reported_at,
       coalesce(d.supervision ->> 'escalated_to', '') AS escalated_to,
       extract(epoch FROM (CAST(:now AS timestamptz) - d.deadline)) / 86400.0 AS days_over,
       extract(epoch FROM (d.deadline - d.reported_at)) / 86400.0 AS limit_days
FROM dispute d
WHERE wangge_is_open_past_deadline(d.status, d.deadline, CAST(:now AS timestamptz))
  AND (CAST(:county AS text) IS NULL OR d.county_code = CAST(:county AS text))
ORDER BY d.id
