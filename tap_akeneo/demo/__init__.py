"""Developer tooling: a local PostgreSQL and the two-run demo. Not used by the tap."""
