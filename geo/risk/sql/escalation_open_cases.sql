-- Open disputes of one county within the caller's case scope, with the factors of the
-- escalation score as of :now: repeats at the same address and between the same parties in
-- the year before the case, other disputes on its grid in the 90 days before :now, risk
-- signals within :radius_m metres in the :signal_days days before :now. Parties are matched on
-- ID number or phone; only counts leave the database, never their details.
WITH open_case AS (
    SELECT d.id, d.external_id, d.status, d.category, d.severity, d.reported_at, d.deadline,
           d.address_id, d.grid_id, d.geom, d.synthetic, g.code AS grid_code,
           g.name AS grid_name
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    LEFT JOIN facility f ON f.id = d.assigned_facility_id
    WHERE d.county_code = :county
      AND d.status IN ('received', 'routed', 'in_progress', 'unresolved')
      AND d.duplicate_of IS NULL
      AND d.reported_at <= CAST(:now AS timestamptz)
      AND (CAST(:scope_area AS text) IS NULL
           OR g.code LIKE CAST(:scope_area AS text) || '%'
           OR (g.code IS NULL AND d.county_code = CAST(:scope_area AS text)))
      AND (CAST(:scope_facility AS text) IS NULL OR f.code = CAST(:scope_facility AS text))
)
SELECT o.id, o.external_id, o.status, o.category, o.severity, o.reported_at, o.deadline,
       o.grid_code, o.grid_name, o.synthetic,
       ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat,
       extract(epoch FROM (CAST(:now AS timestamptz) - o.reported_at)) / 86400.0 AS days_open,
       (SELECT count(*) FROM dispute p
         WHERE o.address_id IS NOT NULL AND p.address_id = o.address_id AND p.id <> o.id
           AND p.duplicate_of IS NULL
           AND p.reported_at < o.reported_at
           AND p.reported_at >= o.reported_at - interval '365 days') AS repeats_address,
       (SELECT count(DISTINCT other.dispute_id)
          FROM dispute_party mine
          JOIN dispute_party other
            ON other.dispute_id <> mine.dispute_id
           AND ((other.id_number = mine.id_number AND mine.id_number <> '')
                OR (other.phone = mine.phone AND mine.phone <> ''))
          JOIN dispute p ON p.id = other.dispute_id
         WHERE mine.dispute_id = o.id AND p.duplicate_of IS NULL
           AND p.reported_at < o.reported_at
           AND p.reported_at >= o.reported_at - interval '365 days') AS repeats_parties,
       (SELECT count(*) FROM dispute p
         WHERE o.grid_id IS NOT NULL AND p.grid_id = o.grid_id AND p.id <> o.id
           AND p.duplicate_of IS NULL
           AND p.reported_at < CAST(:now AS timestamptz)
           AND p.reported_at >= CAST(:now AS timestamptz) - interval '90 days') AS repeats_grid,
       (SELECT count(*) FROM signal s
         WHERE o.geom IS NOT NULL
           AND s.geom && ST_Expand(o.geom, CAST(:radius_m AS float8) / 50000.0)
           AND ST_DWithin(s.geom::geography, o.geom::geography, CAST(:radius_m AS float8))
           AND s.observed_at < CAST(:now AS timestamptz)
           AND s.observed_at >= CAST(:now AS timestamptz)
                                - make_interval(days => CAST(:signal_days AS int)))
         AS signals_nearby
FROM open_case o
ORDER BY o.id
