-- How well the current grids tile each village of a county, in m² on the UTM zone :epsg.
WITH villages AS (
    SELECT code, ST_Transform(geom, :epsg) AS g
    FROM admin_unit WHERE level = 'village' AND county_code = :county
), per_village AS (
    SELECT v.code,
           ST_Area(v.g) AS village_area,
           sum(ST_Area(ST_Transform(gr.geom, :epsg))) AS grids_area,
           ST_Union(ST_Transform(gr.geom, :epsg)) AS u,
           v.g
    FROM villages v JOIN grid gr ON gr.village_code = v.code AND gr.valid_to IS NULL
    GROUP BY v.code, v.g
)
SELECT code, village_area,
       ST_Area(ST_Difference(g, u)) AS gap,
       ST_Area(ST_Difference(u, g)) AS outside,
       grids_area - ST_Area(u) AS overlap
FROM per_village ORDER BY code
