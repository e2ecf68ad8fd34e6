-- Townships and villages of one county (the units a safety title is given to).
SELECT code, level, parent_code, name, short_name, synthetic_geom
FROM admin_unit
WHERE county_code = CAST(:county AS text) AND level IN ('township', 'village')
ORDER BY code
