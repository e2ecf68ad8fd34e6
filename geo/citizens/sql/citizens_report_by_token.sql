-- The case behind a follow-up token (looked up by the token's hash): what the citizen may see.
SELECT r.id AS report_id, r.rating, r.rating_comment, r.rated_at, d.id AS dispute_id,
       d.external_id, d.status, d.version, d.category, d.reported_at, d.resolved_at, d.deadline,
       g.name AS grid_name
FROM citizen_report r
JOIN dispute d ON d.id = r.dispute_id
LEFT JOIN grid g ON g.id = d.grid_id
WHERE r.follow_token_hash = :token_hash
