-- Facilities of the given kinds that could take a dispute: for each kind, those whose
-- jurisdiction (admin_code) is the dispute's village, township or county, and the nearest
-- few, with distance in metres and current open workload (open disputes assigned to them).
SELECT f.id, f.code, f.kind, f.name, f.admin_code,
       CASE WHEN f.admin_code = CAST(:village AS text) THEN 'village'
            WHEN f.admin_code = CAST(:township AS text) THEN 'township'
            WHEN f.admin_code = CAST(:county AS text) THEN 'county'
            END AS jurisdiction,
       CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL
            ELSE ST_Distance(f.geom::geography,
                             ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography) END AS metres,
       (SELECT count(*) FROM dispute o
        WHERE o.assigned_facility_id = f.id
          AND wangge_is_open(o.status)) AS open_workload
FROM facility f
WHERE f.kind = ANY(CAST(:kinds AS text[]))
  AND f.county_code = CAST(:county AS text)
  AND (f.admin_code IN (CAST(:village AS text), CAST(:township AS text), CAST(:county AS text))
       OR (CAST(:lon AS float8) IS NOT NULL
           AND f.id IN (SELECT n.id FROM facility n
                        WHERE n.kind = f.kind AND n.county_code = f.county_code
                        ORDER BY n.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)
                        LIMIT 3)))
