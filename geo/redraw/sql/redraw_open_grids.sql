-- Open the proposed grids at :at (rows: code, name, village, township, county, leader, synthetic,
-- wkb as hex). Returns the new ids by code.
INSERT INTO grid (code, name, county_code, township_code, village_code, leader_id, valid_from,
                  synthetic, geom)
SELECT r.code, r.name, r.county_code, r.township_code, r.village_code, r.leader_id, :at,
       r.synthetic, ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode(r.wkb, 'hex')), 4326))
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(code text, name text, county_code text,
     township_code text, village_code text, leader_id bigint, synthetic boolean, wkb text)
RETURNING id, code
