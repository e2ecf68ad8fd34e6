-- One page of standard addresses (text search and/or grid), newest code order, as features.
WITH hits AS (
    SELECT a.*, g.code AS grid_code
    FROM address a
    LEFT JOIN grid g ON g.id = a.grid_id
    WHERE (CAST(:q AS text) IS NULL OR a.full_text LIKE '%' || CAST(:q AS text) || '%')
      AND (CAST(:grid AS text) IS NULL OR g.code = CAST(:grid AS text))
      AND (CAST(:village AS text) IS NULL OR a.village_code = CAST(:village AS text))
)
SELECT
    (SELECT count(*) FROM hits) AS matched,
    (SELECT coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', p.code,
        'geometry', ST_AsGeoJSON(p.geom, 7)::json,
        'properties', json_build_object(
            'code', p.code, 'full_text', p.full_text, 'township', p.township,
            'village', p.village, 'group_no', p.group_no, 'road', p.road, 'number', p.number,
            'building', p.building, 'houses', p.houses, 'residents', p.residents,
            'grid_code', p.grid_code, 'village_code', p.village_code,
            'synthetic', p.synthetic)
     ) ORDER BY p.code), '[]'::json)::text
     FROM (SELECT * FROM hits ORDER BY code LIMIT :limit OFFSET :offset) p) AS features
