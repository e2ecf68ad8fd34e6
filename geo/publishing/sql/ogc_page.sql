-- One page of an OGC collection, in a stable order, with the numbers matched and returned and
-- the features as one JSON array (text, passed to the client as it is).
-- The SOURCE marker below is replaced by the collection's static query (geo/sql/ogc_src_<collection>.sql)
-- with columns id, sort_key, geom, properties; it never holds request values.
SELECT
    (SELECT count(*) FROM (__SOURCE__) s
     WHERE CAST(:minx AS float8) IS NULL
        OR (s.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
            AND ST_Intersects(s.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)))
    ) AS matched,
    page.returned,
    page.features
FROM (
    SELECT count(*) AS returned,
           coalesce(json_agg(json_build_object(
               'type', 'Feature',
               'id', p.id,
               'geometry', ST_AsGeoJSON(p.geom, 7)::json,
               'properties', p.properties) ORDER BY p.sort_key), '[]'::json)::text AS features
    FROM (SELECT s.* FROM (__SOURCE__) s
          WHERE CAST(:minx AS float8) IS NULL
             OR (s.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
                 AND ST_Intersects(s.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)))
          ORDER BY s.sort_key
          LIMIT :limit OFFSET :offset) p
) page
