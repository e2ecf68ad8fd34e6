-- Households and residents of the new grids and groups, from their addresses.
WITH grids AS (
    UPDATE grid g SET households = coalesce(s.houses, 0), population = coalesce(s.residents, 0)
    FROM (SELECT g2.id, sum(a.houses) AS houses, sum(a.residents) AS residents
          FROM grid g2 LEFT JOIN address a ON a.grid_id = g2.id
          WHERE g2.id = ANY(:grid_ids) GROUP BY g2.id) s
    WHERE g.id = s.id
    RETURNING g.id
)
UPDATE household_group h SET households = coalesce(s.houses, 0)
FROM (SELECT h2.id, sum(a.houses) AS houses
      FROM household_group h2 LEFT JOIN address a ON a.household_group_id = h2.id
      WHERE h2.grid_id = ANY(:grid_ids) AND h2.valid_to IS NULL GROUP BY h2.id) s
WHERE h.id = s.id
