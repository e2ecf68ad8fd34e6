-- Every dispute of one county, by id.
SELECT id FROM dispute WHERE county_code = :county ORDER BY id
