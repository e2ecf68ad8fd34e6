-- Store a staff member's restricted contact details.
INSERT INTO staff_contact (staff_id, phone, id_number) VALUES (:id, :phone, :id_number)
ON CONFLICT (staff_id) DO UPDATE SET phone = EXCLUDED.phone, id_number = EXCLUDED.id_number
