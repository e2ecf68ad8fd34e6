-- The unit (county/township code) of the centre one shift belongs to.
SELECT f.admin_code FROM duty_shift d JOIN facility f ON f.id = d.centre_id WHERE d.id = :id
