"""``python -m trygg.simulators.bankid [--host HOST] [--port PORT]``."""

from trygg.simulators.bankid.server import main

main()
