-- Which of the given external ids are stored already on a signal outside the caller's scope
-- (see disputes_intake_taken.sql).
SELECT s.external_id
FROM signal s
LEFT JOIN grid g ON g.id = s.grid_id
WHERE s.external_id = ANY(CAST(:ids AS text[]))
  AND NOT wangge_in_scope(g.code, s.county_code, NULL, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
