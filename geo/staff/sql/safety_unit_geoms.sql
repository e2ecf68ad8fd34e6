-- Township and village boundaries of one county (for the safety map layer).
SELECT code, ST_AsBinary(geom) AS wkb
FROM admin_unit
WHERE county_code = CAST(:county AS text) AND level IN ('township', 'village')
