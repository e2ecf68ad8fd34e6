-- Drop the failure counts whose last failure lies before :before (past their window).
DELETE FROM login_failure WHERE last_failed_at <= CAST(:before AS timestamptz)
