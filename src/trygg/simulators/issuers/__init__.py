"""Local simulator of the card issuers', mobile operators', road authority's and police's
blocking services (see :mod:`.server`)."""

from trygg.simulators.issuers.server import (
    IssuerBehaviour,
    IssuerServer,
    IssuerState,
    make_server,
    serve_in_thread,
)

__all__ = ["IssuerBehaviour", "IssuerServer", "IssuerState", "make_server", "serve_in_thread"]
