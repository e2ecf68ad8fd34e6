-- OGC collection "admin_units": county, townships and villages with a geometry, id = code.
SELECT u.code AS id, u.code AS sort_key, u.geom,
       json_build_object(
           'code', u.code, 'level', u.level, 'parent_code', u.parent_code, 'name', u.name,
           'short_name', u.short_name, 'county_code', u.county_code,
           'synthetic_geom', u.synthetic_geom) AS properties
FROM admin_unit u
WHERE u.geom IS NOT NULL
