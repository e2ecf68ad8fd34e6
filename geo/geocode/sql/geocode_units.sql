-- Admin units for the geocoding gazetteer (one county, or all when :county is null).
SELECT code, level, name, short_name, parent_code, county_code, aliases
FROM admin_unit
WHERE CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text)
ORDER BY length(code), code
