-- The latest handover note written at each of the given centres for a shift that had
-- ended by :at (what the people now on duty were told).
SELECT DISTINCT ON (d.centre_id) f.code AS centre_code, d.id AS shift_id, d.ends_at,
       d.handover_note, d.handover_by, s.name AS handed_over_by_staff
FROM duty_shift d
JOIN facility f ON f.id = d.centre_id
JOIN staff s ON s.id = d.staff_id
WHERE d.centre_id = ANY(CAST(:centre_ids AS bigint[]))
  AND d.ends_at <= CAST(:at AS timestamptz)
  AND d.ends_at > CAST(:at AS timestamptz) - interval '7 days'
  AND d.handover_note IS NOT NULL
ORDER BY d.centre_id, d.ends_at DESC, d.id DESC
