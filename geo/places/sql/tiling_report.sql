-- How well the children of each parent tile it, in m² on the UTM zone :epsg.
-- gap = parent area not covered by children; overlap = area covered twice or more.
WITH kids AS (
    SELECT parent_code, ST_Transform(geom, :epsg) AS g
    FROM admin_unit WHERE level = :child_level AND county_code = :county
), parents AS (
    SELECT code, ST_Transform(geom, :epsg) AS g
    FROM admin_unit WHERE level = :parent_level AND county_code = :county
), per_parent AS (
    SELECT p.code,
           ST_Area(p.g) AS parent_area,
           sum(ST_Area(k.g)) AS children_area,
           ST_Area(ST_Union(k.g)) AS union_area,
           ST_Area(ST_Difference(p.g, ST_Union(k.g))) AS gap,
           ST_Area(ST_Difference(ST_Union(k.g), p.g)) AS outside
    FROM parents p JOIN kids k ON k.parent_code = p.code
    GROUP BY p.code, p.g
)
SELECT code, parent_area, gap, outside, children_area - union_area AS overlap
FROM per_parent ORDER BY code
