-- Everything that breaks a safety-creation title in one county and year [:from, :to), read
-- as it stood at :cutoff (the year's end, or now for the current year). One row per piece of
-- evidence: which rule, the case or signal, where (by its grid, else the unit it was routed to)
-- and why.
WITH cases AS (
    SELECT d.id, d.external_id, d.reported_at, d.category, d.severity, d.deadline,
           d.description, d.resolved_at, g.code AS grid_code,
           -- a case without a certain grid counts against the village or township it was
           -- routed to (位置待核实)
           coalesce(g.township_code, CASE routed.level WHEN 'township' THEN routed.code
                                                       WHEN 'village' THEN routed.parent_code END)
               AS township_code,
           coalesce(g.village_code, CASE WHEN routed.level = 'village' THEN routed.code END)
               AS village_code,
           f.kind AS facility_kind,
           coalesce((SELECT e.to_status FROM dispute_event e
                     WHERE e.dispute_id = d.id AND e.action = 'transition'
                       AND e.at < CAST(:cutoff AS timestamptz)
                     ORDER BY e.at DESC, e.id DESC LIMIT 1), 'received') AS status_at_cutoff,
           EXISTS (SELECT 1 FROM dispute_event e
                   WHERE e.dispute_id = d.id AND e.to_status = 'unresolved'
                     AND e.at < CAST(:cutoff AS timestamptz)) AS declared_unresolved,
           coalesce(d.resolved_at < CAST(:cutoff AS timestamptz), false) AS resolved_by_cutoff,
           EXISTS (SELECT 1 FROM dispute_event e
                   WHERE e.dispute_id = d.id AND e.at < CAST(:cutoff AS timestamptz)
                     AND e.note ~ CAST(:lawsuit_pattern AS text)) AS lawsuit_noted
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    LEFT JOIN admin_unit routed ON routed.code = d.location_admin_code
    LEFT JOIN facility f ON f.id = d.assigned_facility_id
    WHERE d.county_code = CAST(:county AS text) AND d.duplicate_of IS NULL
      AND d.reported_at >= CAST(:from AS timestamptz)
      AND d.reported_at < CAST(:to AS timestamptz)
      AND d.reported_at < CAST(:cutoff AS timestamptz)
)
SELECT 'lawsuit' AS rule, 'dispute' AS kind, c.id, c.external_id, c.reported_at AS at,
       c.grid_code, c.township_code, c.village_code, c.category, c.severity,
       CASE WHEN c.facility_kind IN ('court_station', 'judge_contact_point')
                THEN 'routed to a court station or judge contact point'
            WHEN c.declared_unresolved AND NOT c.resolved_by_cutoff
                THEN 'declared unresolved (未化解): left to litigation'
            ELSE 'the record mentions a lawsuit' END AS reason
FROM cases c
WHERE c.facility_kind IN ('court_station', 'judge_contact_point')
   OR (c.declared_unresolved AND NOT c.resolved_by_cutoff)
   OR c.lawsuit_noted
   OR coalesce(c.description, '') ~ CAST(:lawsuit_pattern AS text)
UNION ALL
SELECT 'homicide', 'dispute', c.id, c.external_id, c.reported_at, c.grid_code,
       c.township_code, c.village_code, c.category, c.severity,
       'the case record speaks of a death or killing'
FROM cases c
WHERE coalesce(c.description, '') ~ CAST(:homicide_pattern AS text)
UNION ALL
SELECT 'homicide', 'signal', s.id, s.external_id, s.observed_at, g.code, g.township_code,
       g.village_code, s.kind, NULL,
       'a ' || s.kind || ' signal speaks of a death or killing'
FROM signal s
LEFT JOIN grid g ON g.id = s.grid_id
WHERE s.county_code = CAST(:county AS text)
  AND s.observed_at >= CAST(:from AS timestamptz) AND s.observed_at < CAST(:to AS timestamptz)
  AND s.observed_at < CAST(:cutoff AS timestamptz)
  AND coalesce(s.description, '') ~ CAST(:homicide_pattern AS text)
UNION ALL
SELECT 'unresolved_serious', 'dispute', c.id, c.external_id, c.reported_at, c.grid_code,
       c.township_code, c.village_code, c.category, c.severity,
       CASE WHEN c.declared_unresolved THEN 'serious case declared unresolved'
            ELSE 'serious case still open past its deadline' END
FROM cases c
WHERE c.severity IN ('serious', 'major', 'critical')
  AND NOT c.resolved_by_cutoff
  AND (c.declared_unresolved
       OR wangge_is_open_past_deadline(c.status_at_cutoff, c.deadline,
                                       CAST(:cutoff AS timestamptz)))
ORDER BY 1, 5, 3
