-- Open cases of a county whose running deadline falls before :now + 24 h: the ones the reminder
-- sweep may notify about. `overdue` and `due_soon` are the one overdue rule
-- (wangge_is_open_past_deadline, generated from core/cases.py) judged at :now and at
-- :now + 24 h; a suspended case has no running deadline and is never found here.
-- `holders` are the unit keys of the assigned unit, as in disputes_state.sql.
SELECT d.id, d.external_id, d.category, d.severity, d.deadline, d.county_code,
       g.code AS grid_code, g.township_code,
       wangge_is_open_past_deadline(d.status, d.deadline, CAST(:now AS timestamptz)) AS overdue,
       extract(epoch FROM (CAST(:now AS timestamptz) - d.deadline)) / 86400.0 AS days_over,
       extract(epoch FROM (d.deadline - d.reported_at)) / 86400.0 AS limit_days,
       array_remove(ARRAY[
           CASE WHEN uf.code IS NOT NULL THEN 'partner:' || uf.code END,
           CASE WHEN uf.kind = 'township_centre' THEN 'township:' || uf.admin_code END,
           CASE WHEN uf.kind = 'county_centre' THEN 'county_centre:' || uf.county_code END,
           CASE WHEN uf.code IS NULL AND length(d.assignee_unit) > 12
                THEN 'grid_leader:' || d.assignee_unit END,
           CASE WHEN uf.code IS NULL AND length(d.assignee_unit) = 9
                THEN 'township:' || d.assignee_unit END,
           CASE WHEN uf.code IS NULL AND length(d.assignee_unit) = 6
                THEN 'county_centre:' || d.assignee_unit END
       ], NULL) AS holders
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility uf ON uf.code = d.assignee_unit
WHERE wangge_is_open_past_deadline(d.status, d.deadline,
                                   CAST(:now AS timestamptz) + interval '24 hours')
  AND (CAST(:county AS text) IS NULL OR d.county_code = CAST(:county AS text))
ORDER BY d.id
