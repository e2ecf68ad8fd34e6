-- Empty every data table (the schema stays). Used by `wangge demo --reset` only.
TRUNCATE admin_unit, staff, staff_contact, staff_grid, grid, household_group, address, facility,
    dispute, dispute_party, dispute_event, signal, risk_score, hotspot, grid_plan
    RESTART IDENTITY CASCADE
