-- Move a dispute to :to_status if nobody changed it since :version was read (optimistic lock).
-- resolved_at is stamped once, when the case reaches 'resolved'; the assignee and facility
-- change only when given; a rating is kept once given.
UPDATE dispute d
SET status = CAST(:to_status AS text),
    version = d.version + 1,
    resolved_at = CASE WHEN CAST(:to_status AS text) = 'resolved' THEN CAST(:at AS timestamptz)
                       ELSE d.resolved_at END,
    satisfaction = coalesce(CAST(:satisfaction AS smallint), d.satisfaction),
    assignee = coalesce(CAST(:assignee AS text), d.assignee),
    assigned_facility_id = coalesce(CAST(:facility_id AS bigint), d.assigned_facility_id)
WHERE d.id = :id AND d.version = :version AND d.status = CAST(:from_status AS text)
RETURNING d.version
