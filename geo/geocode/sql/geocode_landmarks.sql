-- Facilities as landmarks for the geocoder (派出所, 司法所, 综治中心 …) with their unit.
SELECT f.name, f.admin_code, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat
FROM facility f
WHERE f.admin_code IS NOT NULL
  AND (CAST(:county AS text) IS NULL OR f.county_code = CAST(:county AS text))
ORDER BY f.code
