-- Open cases of the same category near a point, reported in the last :days days: what a
-- reporter is shown before submitting. Category, status, day and rounded distance only.
WITH here AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geom)
SELECT d.external_id, d.category, d.status, d.reported_at,
       round(CAST(ST_Distance(CAST(d.geom AS geography), CAST(here.geom AS geography)) / 50
                  AS numeric)) * 50 AS metres
FROM dispute d, here
WHERE d.geom && ST_Expand(here.geom, CAST(:metres AS double precision) / 90000.0)
  AND ST_DWithin(CAST(d.geom AS geography), CAST(here.geom AS geography), :metres)
  AND d.category = :category
  AND wangge_is_open(d.status)
  AND d.reported_at >= now() - make_interval(days => CAST(:days AS integer))
ORDER BY metres, d.reported_at DESC
LIMIT :limit
