"""A local simulator of the BankID Relying Party API v6.0 (standard library only).

It serves the same HTTP API as BankID (``/rp/v6.0/auth``, ``sign``, ``phone/auth``,
``phone/sign``, ``collect``, ``cancel``), so the production client
(:mod:`trygg.identity.bankid`) is what the demo and the tests exercise. A control API and a small
HTML page play the user's BankID app. See :mod:`.server` for the routes, :mod:`.store` for the
order life cycle and :mod:`.documents` for what the simulated signature is (and is not).

Run: ``python -m trygg.simulators.bankid --port 8081``.

As in BankID's API description: the endpoints and their JSON, ``endUserIp`` required for
``auth``/``sign``, base64 and length checks on ``userVisibleData`` (auth 1 500, sign 40 000
characters after encoding) and ``userNonVisibleData`` (1 500 / 200 000), ``requirement``
checks, ``callInitiator``, the error body and statuses, ``alreadyInProgress`` (which also
cancels the order in progress), ``invalidParameters`` "No such order" for an unknown or expired
order reference, ``startFailed`` for an order no app picked up within 30 s,
``expiredTransaction`` after 3 minutes, finished orders kept for 3 (complete) or 5 (failed)
minutes, and the animated QR code's HMAC.

Simplified, on purpose:

* no TLS and no client certificate: every caller is accepted (no ``unauthorized``), and the
  server never answers ``requestTimeout``, ``internalError`` (except for its own bugs) or
  ``maintenance``;
* ``signature`` is an XML document shaped like BankID's but not an XML-DSig, and
  ``ocspResponse`` is a short text statement, not a DER OCSP response (see :mod:`.documents`);
* the hint codes change only through the control API or the app page; ``noClient`` and
  ``started`` are never produced;
* ``device.ipAddress`` is the order's ``endUserIp`` (BankID reports the address it saw the app
  at); ``pinCode``, ``cardReader``, ``certificatePolicies`` and ``returnUrl`` are validated but
  change nothing; unknown top-level request fields (such as v6.1's ``returnRisk``, ``app`` and
  ``web``) are ignored;
* ``cancel`` removes an order whatever its status; how long a QR frame stays acceptable
  (``Timing.qr_max_age``, 5 s) is this simulator's choice, BankID does not document it.
"""

from trygg.simulators.bankid.persons import PERSONS, Person
from trygg.simulators.bankid.server import SimulatorServer, make_server, serve
from trygg.simulators.bankid.store import ApiError, OrderStore, Timing

__all__ = [
    "PERSONS",
    "ApiError",
    "OrderStore",
    "Person",
    "SimulatorServer",
    "Timing",
    "make_server",
    "serve",
]
