"""Local simulator of the print-and-post service and the carrier's tracking (see
:mod:`.server`)."""

from trygg.simulators.post.server import PostServer, PostState, make_server, serve_in_thread

__all__ = ["PostServer", "PostState", "make_server", "serve_in_thread"]
