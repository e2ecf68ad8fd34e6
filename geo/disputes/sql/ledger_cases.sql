-- The dispute ledger (矛盾纠纷排查化解台账) of one unit and period: every dispute received in
-- [from, to) in the unit (county by county code, township/village/grid by its grid), with its
-- status at `to` read from the event history (as geo/disputes/stats.py does). No personal
-- details: the parties are in dispute_party and never read here.
WITH scope AS (
    SELECT d.*, g.code AS grid_code, g.name AS grid_name, g.township_code, g.village_code
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    WHERE d.reported_at < CAST(:to AS timestamptz)
      AND d.reported_at >= CAST(:from AS timestamptz)
      AND CASE length(CAST(:unit AS text))
              WHEN 6 THEN d.county_code = CAST(:unit AS text)
              WHEN 9 THEN g.township_code = CAST(:unit AS text)
              WHEN 12 THEN g.village_code = CAST(:unit AS text)
              ELSE g.code = CAST(:unit AS text)
          END
)
SELECT s.id, s.external_id, s.reported_at, s.category, s.severity, s.location_text,
       s.description, s.deadline, s.resolved_at, s.satisfaction, s.rating_source, s.synthetic,
       s.grid_code, s.grid_name, s.township_code, s.village_code, t.short_name AS township,
       v.short_name AS village, s.suspended_at, s.held_deadline,
       coalesce(st.name, s.assignee) AS assignee,
       coalesce(f.name, au.short_name, ag.name, s.assignee_unit) AS facility,
       coalesce((SELECT e.to_status FROM dispute_event e
                 WHERE e.dispute_id = s.id AND e.action = 'transition'
                   AND e.at < CAST(:to AS timestamptz)
                 ORDER BY e.at DESC, e.id DESC LIMIT 1), 'received') AS status_at_end,
       s.resolved_at < CAST(:to AS timestamptz) AS resolved_by_end
FROM scope s
LEFT JOIN admin_unit t ON t.code = s.township_code
LEFT JOIN admin_unit v ON v.code = s.village_code
LEFT JOIN staff st ON st.code = s.assignee
LEFT JOIN facility f ON f.id = s.assigned_facility_id
LEFT JOIN admin_unit au ON au.code = s.assignee_unit
LEFT JOIN grid ag ON ag.code = s.assignee_unit AND ag.valid_to IS NULL
ORDER BY s.reported_at, s.id
