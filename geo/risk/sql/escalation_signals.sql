-- Risk signals (any county) observed in [:since, :now) within :within_m metres of one of the
-- disputes :case_ids, none before :earliest (core/dates.py): a reading bound; the exact radius
-- is applied in models.escalation.
SELECT s.id, s.kind, s.observed_at, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
FROM signal s
WHERE s.id IN (
    SELECT n.id
    FROM dispute d
    JOIN signal n
      ON n.geom && ST_Expand(d.geom, CAST(:within_m AS float8) / 50000.0)
     AND ST_DWithin(n.geom::geography, d.geom::geography, CAST(:within_m AS float8))
    WHERE d.id = ANY(CAST(:case_ids AS bigint[]))
      AND n.observed_at >= greatest(CAST(:since AS timestamptz), CAST(:earliest AS timestamptz))
      AND n.observed_at < CAST(:now AS timestamptz))
ORDER BY s.id
