"""Local stand-ins for outside services, for the demo and the tests (nothing here runs in
production). Each simulator speaks the outside service's own protocol, so the production client
is the one that is exercised."""
