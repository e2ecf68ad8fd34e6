-- Open the proposed household groups at :at in the new grids (rows: code, grid_code, leader_id,
-- synthetic, wkb as hex).
INSERT INTO household_group (code, county_code, grid_id, leader_id, valid_from, synthetic, geom)
SELECT r.code, g.county_code, g.id, r.leader_id, :at, r.synthetic,
       ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode(r.wkb, 'hex')), 4326))
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(code text, grid_code text, leader_id bigint,
     synthetic boolean, wkb text)
JOIN grid g ON g.code = r.grid_code AND g.valid_to IS NULL
RETURNING id, code
