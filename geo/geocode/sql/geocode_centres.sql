-- The point a fallback result lands on for a village, township or county (its governance
-- centre) and the current grid covering it (first code on a shared boundary).
SELECT f.admin_code, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat, g.code AS grid_code
FROM facility f
LEFT JOIN LATERAL (
    SELECT gr.code
    FROM grid gr
    WHERE gr.valid_to IS NULL AND ST_Covers(gr.geom, f.geom)
    ORDER BY gr.code
    LIMIT 1
) g ON true
WHERE f.kind IN ('village_centre', 'township_centre', 'county_centre')
  AND f.admin_code IS NOT NULL
  AND (CAST(:county AS text) IS NULL OR f.county_code = CAST(:county AS text))
ORDER BY f.admin_code, f.code
