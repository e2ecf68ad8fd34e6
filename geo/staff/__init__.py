"""The centre's people in the database: the "8+" forces in the grids and their coverage, the
staff import, the duty roster, contact details through one door, and the evidence behind the
safety-creation status (the status itself is composed in services.safety)."""
