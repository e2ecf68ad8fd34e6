-- The workflow state of one dispute (the row is re-read after a failed versioned update), with
-- what core/permissions.py needs: where it is, the facility it is routed to, who holds it (the
-- unit keys of the accounts that count as its assigned unit: wangge_case_holders, generated in
-- geo/database/rules.py) and the centre that routed it.
SELECT d.id, d.status, d.version, d.category, d.severity, d.reported_at, d.deadline, d.grid_id,
       d.assignee, d.assigned_facility_id, d.supervision, d.county_code, g.code AS grid_code,
       af.code AS facility_code, d.assignee_unit, d.assignee_staff, d.routed_by,
       d.suspended_at, d.held_deadline,
       wangge_case_holders(d.assignee_unit, uf.code, uf.kind, uf.admin_code, uf.county_code)
           AS holders
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility af ON af.id = d.assigned_facility_id
LEFT JOIN facility uf ON uf.code = d.assignee_unit
WHERE d.id = :id
