-- County, township and village boundaries of one county for the maps.
SELECT a.code, a.level, a.name, a.short_name, a.synthetic_geom, ST_AsBinary(a.geom) AS wkb
FROM admin_unit a
WHERE a.county_code = :county AND a.geom IS NOT NULL
ORDER BY a.level, a.code
