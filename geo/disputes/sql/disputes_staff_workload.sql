-- Open disputes assigned to each of the given staff codes.
SELECT s.code, count(d.id) AS open_workload
FROM staff s
LEFT JOIN dispute d ON d.assignee = s.code
     AND d.status IN ('received', 'routed', 'in_progress', 'unresolved')
WHERE s.code = ANY(CAST(:codes AS text[]))
GROUP BY s.code
