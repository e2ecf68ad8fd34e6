-- Flag each of the given disputes that lies within :metres and :days after an earlier dispute
-- of the same category that was not yet resolved when it came in. The nearest such dispute is
-- named in duplicate_of and a 'flag' event is written; nothing is merged. The bounding-box
-- test in degrees (widened for latitude) lets the GiST index pick candidates; the distance
-- on the spheroid decides.
WITH pick AS (
    SELECT n.id AS new_id, n.reported_at, o.id AS original_id, o.metres, o.days
    FROM dispute n
    CROSS JOIN LATERAL (
        SELECT c.id,
               ST_Distance(c.geom::geography, n.geom::geography) AS metres,
               extract(epoch FROM (n.reported_at - c.reported_at)) / 86400.0 AS days
        FROM dispute c
        WHERE c.category = n.category
          AND c.id <> n.id
          AND c.county_code = n.county_code
          AND c.geom IS NOT NULL
          AND ST_DWithin(c.geom, n.geom, :metres / (111320.0 * cos(radians(ST_Y(n.geom)))))
          AND ST_DWithin(c.geom::geography, n.geom::geography, :metres)
          AND (c.reported_at, c.id) < (n.reported_at, n.id)
          AND c.reported_at >= n.reported_at - make_interval(days => :days)
          AND (c.resolved_at IS NULL OR c.resolved_at > n.reported_at)
        ORDER BY metres, c.reported_at, c.id
        LIMIT 1
    ) o
    WHERE n.id = ANY(CAST(:ids AS bigint[]))
      AND n.geom IS NOT NULL
      AND n.duplicate_of IS NULL
),
flagged AS (
    UPDATE dispute d
    SET duplicate_of = pick.original_id, version = d.version + 1
    FROM pick
    WHERE d.id = pick.new_id
    RETURNING d.id, d.status, pick.reported_at, pick.original_id, pick.metres, pick.days
)
INSERT INTO dispute_event (dispute_id, at, actor, action, from_status, to_status, note)
SELECT f.id, CASE WHEN CAST(:historical AS boolean) THEN f.reported_at ELSE now() END, CAST(:actor AS text), 'flag', f.status, f.status,
       format('possible duplicate of dispute %s (%s m, %s days apart); confirm or clear',
              f.original_id, round(f.metres::numeric), round(f.days::numeric, 1))
FROM flagged f
RETURNING dispute_id
