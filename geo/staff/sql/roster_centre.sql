-- A duty centre (a county or township centre facility) by its facility code or by the code
-- of the county/township it serves.
SELECT f.id, f.code, f.kind, f.name, f.admin_code, f.county_code, f.synthetic
FROM facility f
WHERE f.kind IN ('county_centre', 'township_centre')
  AND (f.code = CAST(:code AS text) OR f.admin_code = CAST(:code AS text))
ORDER BY (f.code = CAST(:code AS text)) DESC, f.code
LIMIT 1
