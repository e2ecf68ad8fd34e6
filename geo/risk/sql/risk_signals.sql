-- Risk signals of a county placed on a grid, observed within the plausible window
-- [:earliest, :latest] (core/dates.py); the others are counted by risk_implausible.
SELECT s.grid_id, s.observed_at, s.kind, s.weight
FROM signal s
WHERE s.county_code = :county AND s.grid_id IS NOT NULL
  AND s.observed_at BETWEEN CAST(:earliest AS timestamptz) AND CAST(:latest AS timestamptz)
ORDER BY s.observed_at
