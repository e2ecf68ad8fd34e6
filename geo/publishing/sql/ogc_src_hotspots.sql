-- OGC collection "hotspots": flagged grids per period and method, drawn with the grid's shape.
SELECT h.id, h.id AS sort_key, g.geom,
       json_build_object(
           'grid_code', g.code, 'township_code', g.township_code, 'period', h.period,
           'period_start', h.period_start, 'method', h.method, 'score', h.score, 'z', h.z,
           'p', h.p, 'hotspot_class', h.hotspot_class, 'status', h.status,
           'synthetic', g.synthetic) AS properties
FROM hotspot h
JOIN grid g ON g.id = h.grid_id
