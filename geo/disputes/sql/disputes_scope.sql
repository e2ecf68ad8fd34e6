-- What a scope check needs about one dispute: its grid, county and routed-to facility, and
-- the village or township a case without a grid was routed to (位置待核实).
SELECT d.id, d.county_code, g.code AS grid_code, f.code AS facility_code,
       CASE WHEN g.id IS NULL THEN d.location_admin_code END AS location_unit
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.id = :id
