-- Keep the citizen's own rating and comment beside the case (the loop records the score).
UPDATE citizen_report
SET rating = :rating, rating_comment = :comment, rated_at = :at
WHERE id = :report_id AND rating IS NULL
RETURNING id
