-- Make a staff member the leader of a current ten-household group.
UPDATE household_group SET leader_id = :id WHERE code = :group AND valid_to IS NULL
