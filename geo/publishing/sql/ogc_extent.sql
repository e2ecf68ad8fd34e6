-- Bounding box (lon/lat) of an OGC collection (the SOURCE marker as in ogc_page.sql).
SELECT ST_XMin(e) AS minx, ST_YMin(e) AS miny, ST_XMax(e) AS maxx, ST_YMax(e) AS maxy
FROM (SELECT ST_Extent(s.geom) AS e FROM (__SOURCE__) s) x
