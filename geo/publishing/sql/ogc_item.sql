-- One feature of an OGC collection by id (the SOURCE marker as in ogc_page.sql).
SELECT json_build_object(
    'type', 'Feature',
    'id', s.id,
    'geometry', ST_AsGeoJSON(s.geom, 7)::json,
    'properties', s.properties)::text
FROM (__SOURCE__) s
WHERE s.id = :id
