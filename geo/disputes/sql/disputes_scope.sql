-- What a scope check needs about one dispute: its grid, county and routed-to facility.
SELECT d.id, d.county_code, g.code AS grid_code, f.code AS facility_code
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.id = :id
