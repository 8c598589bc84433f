"""The REST API at /api/v1: wiring of the domain routers and RFC 9457 problem responses."""
