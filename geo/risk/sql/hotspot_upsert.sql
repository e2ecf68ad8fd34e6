-- Store a flagged grid for a period and method; a row already reviewed keeps its review.
INSERT INTO hotspot (grid_id, period, period_start, method, score, z, p, hotspot_class,
                     explanation)
VALUES (:grid_id, :period, :period_start, :method, :score, :z, :p, :hotspot_class, :explanation)
ON CONFLICT (grid_id, period, period_start, method) DO UPDATE
SET score = EXCLUDED.score, z = EXCLUDED.z, p = EXCLUDED.p,
    hotspot_class = EXCLUDED.hotspot_class, explanation = EXCLUDED.explanation
