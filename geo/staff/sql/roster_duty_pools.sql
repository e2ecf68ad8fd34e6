-- Who can stand duty at each centre of a county: a township centre draws on the county
-- cadres placed in its township, the county centre on the prefecture cadres placed in the
-- county (the demo roster's pools; a real county enters or imports its own shifts).
SELECT f.id AS centre_id, f.code AS centre_code, s.id AS staff_id
FROM facility f
JOIN staff s ON s.county_code = f.county_code
 AND ((f.kind = 'township_centre' AND s.role = 'county_cadre' AND s.unit_code = f.admin_code)
   OR (f.kind = 'county_centre' AND s.role = 'prefecture_cadre' AND s.unit_code = f.admin_code))
WHERE f.county_code = :county AND f.kind IN ('county_centre', 'township_centre')
ORDER BY f.code, s.code
