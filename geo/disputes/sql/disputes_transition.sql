-- Move a dispute to :to_status if nobody changed it since :version was read (optimistic lock).
-- resolved_at is stamped once, when the case reaches 'resolved'; an assignment (:assign) replaces
-- the unit, person and facility holding the case; a rating is kept once given.
UPDATE dispute d
SET status = CAST(:to_status AS text),
    version = d.version + 1,
    resolved_at = CASE WHEN CAST(:to_status AS text) = 'resolved' THEN CAST(:at AS timestamptz)
                       ELSE d.resolved_at END,
    satisfaction = coalesce(CAST(:satisfaction AS smallint), d.satisfaction),
    rating_source = coalesce(CAST(:rating_source AS text), d.rating_source),
    assignee = CASE WHEN :assign THEN CAST(:assignee AS text) ELSE d.assignee END,
    assignee_staff = CASE WHEN :assign THEN CAST(:assignee AS text) ELSE d.assignee_staff END,
    assignee_unit = CASE WHEN :assign THEN CAST(:assignee_unit AS text) ELSE d.assignee_unit END,
    assigned_facility_id = CASE WHEN :assign THEN CAST(:facility_id AS bigint)
                                ELSE d.assigned_facility_id END,
    routed_by = coalesce(CAST(:routed_by AS text), d.routed_by)
WHERE d.id = :id AND d.version = :version AND d.status = CAST(:from_status AS text)
RETURNING d.version
