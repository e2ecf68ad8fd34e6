-- Which of the given external ids are stored already on a case outside the caller's scope
-- (the intake must not say which ids exist there).
SELECT d.external_id
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.external_id = ANY(CAST(:ids AS text[]))
  AND NOT wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                          CAST(:scope_facility AS text))
