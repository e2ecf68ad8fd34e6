-- Give back the attempt counted against a client when it turned out to be a correct login
-- (a count that would reach zero is dropped: counts are positive).
WITH gone AS (
    DELETE FROM login_failure
    WHERE kind = 'client' AND key = :client AND failures <= 1
    RETURNING 1
)
UPDATE login_failure SET failures = failures - 1
WHERE kind = 'client' AND key = :client AND failures > 1
