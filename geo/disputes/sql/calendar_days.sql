-- The days of the working calendar of :county: the national days, with the county's own days
-- taking the place of a national day on the same date.
SELECT DISTINCT ON (day) day, kind, name
FROM calendar_day
WHERE calendar = 'national' OR calendar = CAST(:county AS text)
ORDER BY day, (calendar = 'national')
