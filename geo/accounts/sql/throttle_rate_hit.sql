-- One hit on a public rate-limit key, let through only while fewer than :limit hits lie inside
-- the last :seconds. One atomic statement: the key's row is locked while it is read and
-- rewritten, so hits from every server process count. In the SET list ``w`` is the row as it
-- was, so ``admitted`` and ``hits`` are both decided on the same old hits; a refused hit is
-- not stored. Returns the decision and the oldest hit still inside the window.
INSERT INTO rate_window AS w (key, hits, admitted, updated_at)
VALUES (:key, ARRAY[CAST(:now AS timestamptz)], true, CAST(:now AS timestamptz))
ON CONFLICT (key) DO UPDATE SET
    admitted = (
        SELECT count(*) < :limit FROM unnest(w.hits) AS h
        WHERE h > CAST(:now AS timestamptz) - make_interval(secs => :seconds)),
    hits = (
        SELECT CASE WHEN count(*) < :limit
            THEN coalesce(array_agg(h ORDER BY h), '{}') || CAST(:now AS timestamptz)
            ELSE array_agg(h ORDER BY h) END
        FROM unnest(w.hits) AS h
        WHERE h > CAST(:now AS timestamptz) - make_interval(secs => :seconds)),
    updated_at = GREATEST(w.updated_at, EXCLUDED.updated_at)
RETURNING admitted, hits[1] AS oldest
