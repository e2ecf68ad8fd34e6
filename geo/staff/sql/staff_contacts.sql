-- Contact details of the given staff that a caller may read (restricted: read only through
-- geo.staff.directory.contact_details; the rule is in that module's docstring).
--   county_centre: everyone of its county (or all counties without a scope), ID numbers too;
--   township / grid_leader: people whose unit lies in the scope or who serve a grid in it;
--   partner: grid and household leaders of grids with an open case routed to its facility;
--   viewer: nobody.
SELECT s.id, s.code, c.phone,
       CASE WHEN CAST(:role AS text) = 'county_centre' THEN c.id_number END AS id_number
FROM staff s
JOIN staff_contact c ON c.staff_id = s.id
WHERE s.id = ANY(CAST(:ids AS bigint[]))
  AND CASE CAST(:role AS text)
      WHEN 'county_centre' THEN
          CAST(:scope AS text) IS NULL OR s.county_code = left(CAST(:scope AS text), 6)
      WHEN 'township' THEN
          s.unit_code LIKE CAST(:scope AS text) || '%'
          OR EXISTS (SELECT 1 FROM staff_grid sg JOIN grid g ON g.id = sg.grid_id
                     WHERE sg.staff_id = s.id AND g.valid_to IS NULL
                       AND g.code LIKE CAST(:scope AS text) || '%')
          OR EXISTS (SELECT 1 FROM grid g WHERE g.leader_id = s.id AND g.valid_to IS NULL
                       AND g.code LIKE CAST(:scope AS text) || '%')
      WHEN 'grid_leader' THEN
          EXISTS (SELECT 1 FROM staff_grid sg JOIN grid g ON g.id = sg.grid_id
                  WHERE sg.staff_id = s.id AND g.valid_to IS NULL
                    AND g.code LIKE CAST(:scope AS text) || '%')
          OR EXISTS (SELECT 1 FROM grid g WHERE g.leader_id = s.id AND g.valid_to IS NULL
                       AND g.code LIKE CAST(:scope AS text) || '%')
          OR EXISTS (SELECT 1 FROM household_group h JOIN grid g ON g.id = h.grid_id
                     WHERE h.leader_id = s.id AND h.valid_to IS NULL
                       AND g.code LIKE CAST(:scope AS text) || '%')
      WHEN 'partner' THEN
          s.role IN ('grid_leader', 'household_leader')
          AND EXISTS (
              SELECT 1 FROM dispute d
              JOIN facility f ON f.id = d.assigned_facility_id
              JOIN grid g ON g.id = d.grid_id
              WHERE f.code = CAST(:scope AS text)
                AND wangge_is_open(d.status)
                AND (g.leader_id = s.id
                     OR EXISTS (SELECT 1 FROM household_group h
                                WHERE h.grid_id = g.id AND h.leader_id = s.id
                                  AND h.valid_to IS NULL)))
      ELSE false
  END
