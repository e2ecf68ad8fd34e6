-- One new shift.
INSERT INTO duty_shift (county_code, centre_id, staff_id, post, starts_at, ends_at, synthetic)
VALUES (:county, :centre_id, :staff_id, :post, :from, :to, false)
RETURNING id
