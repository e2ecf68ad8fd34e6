-- The grid code and county of a hotspot row.
SELECT h.id, h.status, g.code AS grid_code, g.county_code
FROM hotspot h JOIN grid g ON g.id = h.grid_id
WHERE h.id = :id
