-- The unit a staff member answers for: the current grid they lead, else their admin unit.
SELECT coalesce(
    (SELECT g.code FROM grid g WHERE g.leader_id = s.id AND g.valid_to IS NULL
     ORDER BY g.code LIMIT 1),
    s.unit_code) AS unit
FROM staff s
WHERE s.code = :code
