-- One row of a dispute's history.
INSERT INTO dispute_event (dispute_id, at, actor, action, from_status, to_status, note)
VALUES (:dispute_id, coalesce(CAST(:at AS timestamptz), now()), :actor, :action,
        :from_status, :to_status, :note)
RETURNING id
