-- Record the review of one hotspot; returns the row (with its grid code) or nothing.
UPDATE hotspot h
SET status = :status, reviewer = :reviewer, review_note = :note,
    action_taken = :action_taken, reviewed_at = now()
FROM grid g
WHERE h.id = :id AND g.id = h.grid_id
RETURNING h.id, g.code AS grid_code, h.status, h.reviewer, h.review_note, h.action_taken,
          h.reviewed_at, h.method, h.period_start
