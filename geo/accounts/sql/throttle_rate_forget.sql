-- Drop the rate-limit keys idle since before :before (longer than any limit's window).
DELETE FROM rate_window WHERE updated_at <= CAST(:before AS timestamptz)
