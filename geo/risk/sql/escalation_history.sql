-- Disputes reported in [:since, :now) that may count as repeats for the disputes :case_ids: at
-- the same address, on the same grid, or among :party_dispute_ids (a party in common). Any
-- county; duplicates and times before :earliest (core/dates.py) never count. Which of them
-- count is decided in models.escalation.
WITH open_case AS (
    SELECT address_id, grid_id FROM dispute WHERE id = ANY(CAST(:case_ids AS bigint[]))
), candidate AS (
    SELECT p.id FROM dispute p
    WHERE p.address_id IN (SELECT address_id FROM open_case)
    UNION
    SELECT p.id FROM dispute p
    WHERE p.grid_id IN (SELECT grid_id FROM open_case)
    UNION
    SELECT unnest(CAST(:party_dispute_ids AS bigint[]))
)
SELECT p.id, p.reported_at, p.address_id AS address_key, p.grid_id AS grid_key
FROM dispute p
JOIN candidate c ON c.id = p.id
WHERE p.duplicate_of IS NULL
  AND p.reported_at >= greatest(CAST(:since AS timestamptz), CAST(:earliest AS timestamptz))
  AND p.reported_at < CAST(:now AS timestamptz)
ORDER BY p.id
