-- How many of the rows risk_disputes and risk_signals would read lie outside the plausible
-- window [:earliest, :latest] (core/dates.py): stored before the intake check existed.
SELECT
    (SELECT count(*) FROM dispute d
     WHERE d.county_code = :county AND d.grid_id IS NOT NULL AND d.duplicate_of IS NULL
       AND NOT d.reported_at BETWEEN CAST(:earliest AS timestamptz)
                                 AND CAST(:latest AS timestamptz)) AS disputes,
    (SELECT count(*) FROM signal s
     WHERE s.county_code = :county AND s.grid_id IS NOT NULL
       AND NOT s.observed_at BETWEEN CAST(:earliest AS timestamptz)
                                 AND CAST(:latest AS timestamptz)) AS signals
