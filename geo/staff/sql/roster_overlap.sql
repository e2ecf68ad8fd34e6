-- Shifts of one person overlapping [:from, :to) at any centre (a person is in one place).
SELECT d.id, f.code AS centre_code, d.starts_at, d.ends_at
FROM duty_shift d JOIN facility f ON f.id = d.centre_id
WHERE d.staff_id = CAST(:staff_id AS bigint)
  AND d.starts_at < CAST(:to AS timestamptz) AND d.ends_at > CAST(:from AS timestamptz)
ORDER BY d.starts_at
LIMIT 1
