-- The townships of a county, simplified, as the background of the public report page.
SELECT a.short_name AS name,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, 0.0005), 5) AS geometry
FROM admin_unit a
WHERE a.county_code = :county AND a.level = 'township' AND a.geom IS NOT NULL
ORDER BY a.code
