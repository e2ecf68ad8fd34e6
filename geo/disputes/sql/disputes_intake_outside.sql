-- Staged disputes that would land outside the caller's scope (their located or geocoded grid;
-- no grid: their county), by row number. A new case is routed to no facility yet.
SELECT i.row_number
FROM intake_dispute i
LEFT JOIN grid g ON g.id = i.grid_id
WHERE NOT wangge_in_scope(g.code, i.county_code, NULL, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
ORDER BY i.row_number
