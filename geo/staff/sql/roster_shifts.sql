-- Shifts of one centre overlapping [:from, :to), in time order.
SELECT d.id AS shift_id, d.post, d.starts_at, d.ends_at, d.handover_note, d.handover_by,
       d.handover_at, s.id AS staff_id, s.code AS staff_code, s.name, s.role, d.synthetic
FROM duty_shift d
JOIN staff s ON s.id = d.staff_id
WHERE d.centre_id = CAST(:centre_id AS bigint)
  AND d.starts_at < CAST(:to AS timestamptz) AND d.ends_at > CAST(:from AS timestamptz)
ORDER BY d.starts_at, array_position(ARRAY['leader', 'officer', 'standby'], d.post::text), s.code
LIMIT :limit
