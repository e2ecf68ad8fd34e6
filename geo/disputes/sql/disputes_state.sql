-- The workflow state of one dispute (the row is re-read after a failed versioned update), with
-- what core/permissions.py needs: where it is, the facility it is routed to, who holds it (the
-- unit keys of the accounts that count as its assigned unit) and the centre that routed it.
SELECT d.id, d.status, d.version, d.category, d.severity, d.reported_at, d.deadline, d.grid_id,
       d.assignee, d.assigned_facility_id, d.supervision, d.county_code, g.code AS grid_code,
       af.code AS facility_code, d.assignee_unit, d.assignee_staff, d.routed_by,
       d.suspended_at, d.held_deadline,
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
LEFT JOIN facility af ON af.id = d.assigned_facility_id
LEFT JOIN facility uf ON uf.code = d.assignee_unit
WHERE d.id = :id
