-- A job starts for one county: the row the run's end will complete.
INSERT INTO job_run (job, county_code, host, started_at)
VALUES (:job, :county, :host, clock_timestamp())
RETURNING id
