"""The card and document protection service: registry, blocking, reports (seed 004)."""
