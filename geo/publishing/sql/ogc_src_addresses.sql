-- OGC collection "addresses": standard addresses (counts of residents only), id = address code.
SELECT a.code AS id, a.code AS sort_key, a.geom,
       json_build_object(
           'code', a.code, 'full_text', a.full_text, 'township', a.township,
           'village', a.village, 'group_no', a.group_no, 'road', a.road, 'number', a.number,
           'building', a.building, 'houses', a.houses, 'residents', a.residents,
           'village_code', a.village_code, 'grid_code', g.code,
           'synthetic', a.synthetic) AS properties
FROM address a
LEFT JOIN grid g ON g.id = a.grid_id
