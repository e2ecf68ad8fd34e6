-- Cases that came from the public (web page or Open311), public fields only: the location is
-- a point inside the case's grid, the address the grid's name; no description, no party.
SELECT d.external_id, d.category, d.status, d.reported_at, d.deadline, r.channel,
       (SELECT max(e.at) FROM dispute_event e WHERE e.dispute_id = d.id) AS updated_at,
       g.name AS grid_name,
       ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
FROM citizen_report r
JOIN dispute d ON d.id = r.dispute_id
LEFT JOIN grid g ON g.id = d.grid_id
WHERE (CAST(:ids AS text[]) IS NULL OR d.external_id = ANY(CAST(:ids AS text[])))
  AND (CAST(:categories AS text[]) IS NULL OR d.category = ANY(CAST(:categories AS text[])))
  AND (CAST(:open AS boolean) IS NULL OR wangge_is_open(d.status) = CAST(:open AS boolean))
  AND (CAST(:start AS timestamptz) IS NULL OR d.reported_at >= CAST(:start AS timestamptz))
  AND (CAST(:end AS timestamptz) IS NULL OR d.reported_at < CAST(:end AS timestamptz))
ORDER BY d.reported_at DESC, d.id DESC
LIMIT :limit
