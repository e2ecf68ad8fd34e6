-- Flag each of the given disputes that lies within :metres and :days after an earlier dispute
-- of the same category that was not yet resolved when it came in. The nearest such dispute is
-- named in duplicate_of and a 'flag' event is written; nothing is merged.
--
-- One statement over the whole batch. The batch is already stored, so its disputes are
-- paired with one another (a duplicate inside the batch) in the same pass as with the cases
-- stored before. Each new dispute reads its candidates from dispute_duplicate_probe
-- (county_code, category, reported_at, ST_X, ST_Y; migration 0020): the time window bounds the
-- scan and the lon/lat box (the half-side of the degree test below, a hair wider against
-- rounding, so it never drops a pair that test keeps) is checked on the index entries, so
-- only the cases inside it are read from the table. Of those, the test in degrees (widened
-- for latitude) is cheap and comes first; the distance on the spheroid decides. The LATERAL
-- keeps that plan whatever the statistics say (a plain join was hashed on county and
-- category when the table had none, millions of pairs per batch).
WITH pick AS (
    SELECT n.id AS new_id, n.reported_at, o.id AS original_id, o.metres, o.days
    FROM dispute n
    CROSS JOIN LATERAL (
        SELECT c.id,
               ST_Distance(c.geom::geography, n.geom::geography) AS metres,
               extract(epoch FROM (n.reported_at - c.reported_at)) / 86400.0 AS days
        FROM dispute c
        WHERE c.county_code = n.county_code
          AND c.category = n.category
          AND c.geom IS NOT NULL
          AND date_part('epoch', c.reported_at - timestamptz '2000-01-01 00:00+00')
              BETWEEN date_part('epoch', n.reported_at - timestamptz '2000-01-01 00:00+00')
                      - (:days + 1) * 86400.0
                  AND date_part('epoch', n.reported_at - timestamptz '2000-01-01 00:00+00') + 1
          AND ST_X(c.geom) BETWEEN ST_X(n.geom) - 1.000001 * :metres / (111320.0 * cos(radians(ST_Y(n.geom))))
                               AND ST_X(n.geom) + 1.000001 * :metres / (111320.0 * cos(radians(ST_Y(n.geom))))
          AND ST_Y(c.geom) BETWEEN ST_Y(n.geom) - 1.000001 * :metres / (111320.0 * cos(radians(ST_Y(n.geom))))
                               AND ST_Y(n.geom) + 1.000001 * :metres / (111320.0 * cos(radians(ST_Y(n.geom))))
          -- the rule itself, in this order (cheap tests first, the spheroid last):
          AND CASE WHEN (c.reported_at, c.id) < (n.reported_at, n.id)
                    AND c.reported_at >= n.reported_at - make_interval(days => :days)
                    AND c.id <> n.id
                    AND (c.resolved_at IS NULL OR c.resolved_at > n.reported_at)
                    AND ST_DWithin(c.geom, n.geom, :metres / (111320.0 * cos(radians(ST_Y(n.geom)))))
                   THEN ST_DWithin(c.geom::geography, n.geom::geography, :metres)
                   ELSE false END
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
