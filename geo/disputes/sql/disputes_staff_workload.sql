-- Open disputes assigned to each of the given staff codes.
SELECT s.code, count(d.id) AS open_workload
FROM staff s
LEFT JOIN dispute d ON d.assignee = s.code
     AND wangge_is_open(d.status)
WHERE s.code = ANY(CAST(:codes AS text[]))
GROUP BY s.code
