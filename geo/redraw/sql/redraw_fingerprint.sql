-- Fingerprint of the current grids of the given villages: ids, codes and exact geometries.
SELECT md5(coalesce(string_agg(g.id::text || ':' || g.code || ':' || md5(ST_AsEWKB(g.geom)),
                               ',' ORDER BY g.id), ''))
FROM grid g
WHERE g.valid_to IS NULL AND g.village_code = ANY(:villages)
