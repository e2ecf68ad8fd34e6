-- Write the handover note of one shift.
UPDATE duty_shift
SET handover_note = :note, handover_by = :actor, handover_at = now()
WHERE id = :id
RETURNING id, centre_id, ends_at
