-- Open cases of a county whose running deadline falls before :now + 24 h: the ones the reminder
-- sweep may notify about. `overdue` and `due_soon` are the one overdue rule
-- (wangge_is_open_past_deadline, generated from core/cases.py) judged at :now and at
-- :now + 24 h; a suspended case has no running deadline and is never found here.
-- `holders` are the unit keys of the assigned unit (wangge_case_holders, geo/database/rules.py).
SELECT d.id, d.external_id, d.category, d.severity, d.deadline, d.county_code,
       g.code AS grid_code, g.township_code,
       wangge_is_open_past_deadline(d.status, d.deadline, CAST(:now AS timestamptz)) AS overdue,
       extract(epoch FROM (CAST(:now AS timestamptz) - d.deadline)) / 86400.0 AS days_over,
       extract(epoch FROM (d.deadline - d.reported_at)) / 86400.0 AS limit_days,
       wangge_case_holders(d.assignee_unit, uf.code, uf.kind, uf.admin_code, uf.county_code)
           AS holders
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility uf ON uf.code = d.assignee_unit
WHERE wangge_is_open_past_deadline(d.status, d.deadline,
                                   CAST(:now AS timestamptz) + interval '24 hours')
  AND (CAST(:county AS text) IS NULL OR d.county_code = CAST(:county AS text))
ORDER BY d.id
