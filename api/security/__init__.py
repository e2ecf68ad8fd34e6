"""Access control: who is calling (:mod:`api.security.principal`), login throttling."""
