"""Risk storage: what the risk model and the escalation score read, and the scores and hotspots
they write back."""
