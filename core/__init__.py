"""The shared rules, pure and importable by every other package (it imports none of them).

Case statuses and the closed loop (:mod:`core.cases`), time limits (:mod:`core.limits`), roles
and the scope rule (:mod:`core.principal`), controlled vocabularies (:mod:`core.vocab`), domain
errors (:mod:`core.errors`) and coordinate helpers (:mod:`core.crs`). A rule about cases is
changed here and nowhere else; the SQL side reads the same definitions (``geo.database.rules``).
"""
