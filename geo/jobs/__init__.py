"""Scheduled work: the job_run record, per-job advisory locks, and the data steps of the jobs."""
