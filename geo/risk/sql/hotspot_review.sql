-- Record the review of one pending hotspot; returns the row (with its grid code), or nothing
-- when it is reviewed already. The status test in the UPDATE decides between concurrent
-- reviews: the second waits for the first's row lock, sees it no longer pending and changes
-- nothing, so a decision is recorded once.
UPDATE hotspot h
SET status = :status, reviewer = :reviewer, review_note = :note,
    action_taken = :action_taken, reviewed_at = now()
FROM grid g
WHERE h.id = :id AND g.id = h.grid_id AND h.status = 'pending'
RETURNING h.id, g.code AS grid_code, h.status, h.reviewer, h.review_note, h.action_taken,
          h.reviewed_at, h.method, h.period_start
