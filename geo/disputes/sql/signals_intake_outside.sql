-- Staged signals that would land outside the caller's scope (see disputes_intake_outside.sql).
SELECT i.row_number
FROM intake_signal i
LEFT JOIN grid g ON g.id = i.grid_id
WHERE NOT wangge_in_scope(g.code, i.county_code, NULL, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
ORDER BY i.row_number
