"""A client for the BankID Relying Party API v6.0.

Pure Python (httpx and the standard library, no Django). One :class:`BankIdClient` talks to one
service: the real one (``https://appapi2.bankid.com/rp/v6.0``, or the test service
``https://appapi2.test.bankid.com/rp/v6.0``) with the relying party's client certificate, or the
local simulator (:mod:`trygg.simulators.bankid`) over plain HTTP.

Endpoints (all ``POST`` with a JSON body, ``Content-Type: application/json`` without a charset
parameter, which BankID refuses with ``415 unsupportedMediaType``):

* ``auth`` and ``sign`` start an order for the end user's IP address and answer ``orderRef``,
  ``autoStartToken``, ``qrStartToken`` and ``qrStartSecret`` (:class:`OrderStarted`);
* ``phone/auth`` and ``phone/sign`` start an order for a personal number while the user and the
  relying party are in a phone call (``callInitiator`` ``user`` or ``RP``) and answer ``orderRef``
  only;
* ``collect`` answers the status of an order (:class:`CollectResult`); the relying party calls it
  every two seconds while the status is ``pending``;
* ``cancel`` cancels a pending order.

Errors are one exception, :class:`BankIdError` (``error_code``, ``details``, ``http_status``).
BankID's own codes come from its error body ``{"errorCode": ..., "details": ...}``; a response
without such a body gets the code BankID documents for its HTTP status (``internalError`` for
500, ``maintenance`` for 503, ...). Three codes are the client's own and never come from BankID:
``clientTimeout`` (no answer in time), ``connectionError`` (no connection, or a broken one) and
``invalidResponse`` (an answer that is not what the API documents).

Retries. BankID says a request that ended in ``requestTimeout`` or ``internalError`` must not be
repeated automatically, that ``maintenance`` (503) may be, and that a second ``auth`` or ``sign``
is a second order. The client therefore repeats a request only when repeating cannot create or
change anything:

* any request whose connection could not be opened (the request never reached the service);
* any request answered ``503 maintenance`` (nothing was done);
* ``collect`` also after a read timeout or a broken connection: collecting is a read, and the
  service answers the same final result for as long as it keeps the order (BankID: completed
  orders can be collected for up to 3 minutes, failed orders for up to 5). BankID's error table
  also names "collecting a finished order twice" among the causes of ``invalidParameters``; if
  the real service applies that, a repeat after a lost answer ends in that error, never in a
  wrong result.

``auth``, ``sign``, ``phone/*`` and ``cancel`` are never repeated once the request may have
arrived: a read timeout there raises ``clientTimeout`` and the caller decides.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final, Literal, cast

import httpx

__all__ = [
    "API_PATH",
    "CLIENT_TIMEOUT",
    "CONNECTION_ERROR",
    "INVALID_RESPONSE",
    "BankIdClient",
    "BankIdError",
    "CallInitiator",
    "CollectResult",
    "CompletionData",
    "CompletionDevice",
    "CompletionUser",
    "OrderStarted",
    "Requirement",
    "StepUp",
]

API_PATH: Final = "/rp/v6.0"

CLIENT_TIMEOUT: Final = "clientTimeout"
CONNECTION_ERROR: Final = "connectionError"
INVALID_RESPONSE: Final = "invalidResponse"

Status = Literal["pending", "failed", "complete"]
CallInitiator = Literal["user", "RP"]
TextFormat = Literal["plaintext", "simpleMarkdownV1"]
CardReader = Literal["class1", "class2"]

# The code BankID documents for an HTTP status, used when an error answer has no JSON body.
_CODE_FOR_STATUS: Final[Mapping[int, str]] = {
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    405: "methodNotAllowed",
    408: "requestTimeout",
    415: "unsupportedMediaType",
    500: "internalError",
    503: "maintenance",
}
_EXCERPT_LENGTH: Final = 200
_STATUSES: Final = ("pending", "failed", "complete")


class BankIdError(Exception):
    """A BankID request that did not succeed.

    ``error_code`` is BankID's ``errorCode`` (``alreadyInProgress``, ``invalidParameters``,
    ``unauthorized``, ``notFound``, ``methodNotAllowed``, ``requestTimeout``,
    ``unsupportedMediaType``, ``internalError``, ``maintenance`` or a code BankID adds later) or
    one of the client's own codes (``clientTimeout``, ``connectionError``, ``invalidResponse``).
    ``details`` is for logs, never for the user (use :func:`trygg.identity.bankid.messages.
    user_message`). ``http_status`` is ``None`` when no HTTP answer arrived.
    """

    def __init__(self, error_code: str, details: str, http_status: int | None) -> None:
        super().__init__(f"{error_code}: {details}" if details else error_code)
        self.error_code = error_code
        self.details = details
        self.http_status = http_status

    def __repr__(self) -> str:
        return f"BankIdError({self.error_code!r}, {self.details!r}, {self.http_status!r})"

    def __reduce__(self) -> tuple[type[BankIdError], tuple[str, str, int | None]]:
        return (type(self), (self.error_code, self.details, self.http_status))


@dataclass(frozen=True)
class Requirement:
    """How the order must be carried out (``requirement`` in the request).

    ``personal_number`` (12 digits) binds an ``auth``/``sign`` order to one person; the phone
    endpoints take the personal number as a parameter of their own and refuse it here.
    ``certificate_policies`` are OIDs of the BankID kinds that may be used.
    """

    pin_code: bool | None = None
    mrtd: bool | None = None
    card_reader: CardReader | None = None
    certificate_policies: tuple[str, ...] = ()
    personal_number: str | None = None

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {}
        if self.pin_code is not None:
            body["pinCode"] = self.pin_code
        if self.mrtd is not None:
            body["mrtd"] = self.mrtd
        if self.card_reader is not None:
            body["cardReader"] = self.card_reader
        if self.certificate_policies:
            body["certificatePolicies"] = list(self.certificate_policies)
        if self.personal_number is not None:
            body["personalNumber"] = self.personal_number
        return body


@dataclass(frozen=True)
class OrderStarted:
    """The answer to ``auth``, ``sign``, ``phone/auth`` and ``phone/sign``.

    The phone endpoints answer the order reference only, so the three tokens are ``None`` there.
    ``qr_start_secret`` must stay on the server (it is left out of ``repr`` so that it does not
    reach logs by accident): the server computes each QR frame with
    :func:`trygg.identity.bankid.qr.qr_data` and sends the browser the picture only.
    """

    order_ref: str
    auto_start_token: str | None
    qr_start_token: str | None
    qr_start_secret: str | None = field(repr=False)


@dataclass(frozen=True)
class CompletionUser:
    personal_number: str
    name: str
    given_name: str
    surname: str


@dataclass(frozen=True)
class CompletionDevice:
    """The user's device as BankID saw it: ``ip_address`` and ``uhi`` (a unique hardware id)."""

    ip_address: str
    uhi: str | None


@dataclass(frozen=True)
class StepUp:
    """Extra checks that were part of the order; ``mrtd``: a passport or ID card was checked."""

    mrtd: bool


@dataclass(frozen=True)
class CompletionData:
    """``completionData`` of a completed order.

    ``signature`` (a base64-encoded XML signature) and ``ocsp_response`` (a base64-encoded OCSP
    response) are kept as BankID sent them, for archiving and later verification.
    """

    user: CompletionUser
    device: CompletionDevice
    bank_id_issue_date: dt.date
    step_up: StepUp | None
    signature: str
    ocsp_response: str

    def signature_xml(self) -> str:
        """The signature document (the base64 of ``signature`` decoded as UTF-8)."""
        return base64.b64decode(self.signature, validate=True).decode("utf-8")


@dataclass(frozen=True)
class CollectResult:
    """The answer to ``collect``.

    ``hint_code`` is set for ``pending`` and ``failed`` (a code BankID may add later is passed on
    as it is); ``completion`` is set for ``complete`` only.
    """

    order_ref: str
    status: Status
    hint_code: str | None
    completion: CompletionData | None

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


def _base64_text(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_data(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


def _excerpt(response: httpx.Response) -> str:
    text = response.content[:_EXCERPT_LENGTH].decode("utf-8", errors="replace")
    return repr(text)


def _invalid(details: str, status: int) -> BankIdError:
    return BankIdError(INVALID_RESPONSE, details, status)


def _string(body: Mapping[str, object], key: str, status: int, where: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise _invalid(f"{where}: {key!r} is missing or not a string.", status)
    return value


def _optional_string(body: Mapping[str, object], key: str, status: int, where: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(f"{where}: {key!r} is not a string.", status)
    return value


def _object(body: Mapping[str, object], key: str, status: int, where: str) -> dict[str, object]:
    value = body.get(key)
    if not isinstance(value, dict):
        raise _invalid(f"{where}: {key!r} is missing or not an object.", status)
    return cast(dict[str, object], value)


def _parse_completion(body: Mapping[str, object], status: int) -> CompletionData:
    where = "completionData"
    user = _object(body, "user", status, where)
    device = _object(body, "device", status, where)
    issue_text = _string(body, "bankIdIssueDate", status, where)
    try:
        issue_date = dt.date.fromisoformat(issue_text)
    except ValueError as exc:
        raise _invalid(f"{where}: bankIdIssueDate {issue_text!r} is not a date.", status) from exc
    step_up: StepUp | None = None
    if body.get("stepUp") is not None:
        raw_step_up = _object(body, "stepUp", status, where)
        mrtd = raw_step_up.get("mrtd")
        if not isinstance(mrtd, bool):
            raise _invalid(f"{where}: stepUp.mrtd is not a boolean.", status)
        step_up = StepUp(mrtd=mrtd)
    signature = _string(body, "signature", status, where)
    ocsp_response = _string(body, "ocspResponse", status, where)
    for key, value in (("signature", signature), ("ocspResponse", ocsp_response)):
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid(f"{where}: {key} is not base64.", status) from exc
    return CompletionData(
        user=CompletionUser(
            personal_number=_string(user, "personalNumber", status, "completionData.user"),
            name=_string(user, "name", status, "completionData.user"),
            given_name=_string(user, "givenName", status, "completionData.user"),
            surname=_string(user, "surname", status, "completionData.user"),
        ),
        device=CompletionDevice(
            ip_address=_string(device, "ipAddress", status, "completionData.device"),
            uhi=_optional_string(device, "uhi", status, "completionData.device"),
        ),
        bank_id_issue_date=issue_date,
        step_up=step_up,
        signature=signature,
        ocsp_response=ocsp_response,
    )


def _ssl_context(
    base_url: str, cert: tuple[str, str] | None, ca_cert: str | None
) -> ssl.SSLContext | bool:
    if not base_url.startswith("https://"):
        # Plain HTTP is for the local simulator only: there is no TLS, so no context to build
        # (building the default one reads the whole CA bundle). Certificates make no sense here.
        if cert is not None or ca_cert is not None:
            raise ValueError("cert and ca_cert need an https:// base_url.")
        return False
    if cert is None and ca_cert is None:
        return True
    context = ssl.create_default_context(cafile=ca_cert)
    if cert is not None:
        certfile, keyfile = cert
        context.load_cert_chain(certfile=certfile, keyfile=keyfile)
    return context


def _api_root(base_url: str) -> str:
    root = base_url.rstrip("/")
    return root if root.endswith(API_PATH) else root + API_PATH


class BankIdClient:
    """A synchronous client for one BankID service (see the module docstring).

    ``base_url`` is the service address with or without the API path (``/rp/v6.0`` is added when
    missing). ``cert`` is the relying party certificate as ``(certificate file, key file)`` in PEM
    form; ``ca_cert`` is the CA file that signed the service's TLS certificate (BankID's own CA
    for the real service); both apply to ``https://`` only, and an ``http://`` address (the local
    simulator) refuses them. ``timeout`` is in seconds, per request. ``transport`` replaces the
    network (tests use ``httpx.MockTransport``). ``max_attempts`` bounds the retries described
    in the module docstring; ``retry_delay`` is the pause before the second attempt (doubled
    before each further one) and ``sleep`` performs it.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cert: tuple[str, str] | None,
        ca_cert: str | None,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
        max_attempts: int = 3,
        retry_delay: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1.")
        self.base_url = _api_root(base_url)
        self.timeout = timeout
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            verify=_ssl_context(self.base_url, cert, ca_cert),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BankIdClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- starting orders -------------------------------------------------------------------

    def auth(
        self,
        end_user_ip: str,
        *,
        user_visible_data: str | None = None,
        user_visible_data_format: TextFormat | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
    ) -> OrderStarted:
        """Start an authentication order (``POST auth``).

        ``user_visible_data`` is plain text (or simpleMarkdownV1 with
        ``user_visible_data_format``); the client encodes it as base64 of its UTF-8 bytes.
        """
        payload = self._order_payload(
            user_visible_data, user_visible_data_format, user_non_visible_data, requirement
        )
        payload["endUserIp"] = end_user_ip
        if return_url is not None:
            payload["returnUrl"] = return_url
        return self._started(self._post("auth", payload, idempotent=False))

    def sign(
        self,
        end_user_ip: str,
        user_visible_data: str,
        *,
        user_visible_data_format: TextFormat | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
    ) -> OrderStarted:
        """Start a signing order (``POST sign``); ``user_visible_data`` is the text to sign."""
        payload = self._order_payload(
            user_visible_data, user_visible_data_format, user_non_visible_data, requirement
        )
        payload["endUserIp"] = end_user_ip
        if return_url is not None:
            payload["returnUrl"] = return_url
        return self._started(self._post("sign", payload, idempotent=False))

    def phone_auth(
        self,
        personal_number: str,
        call_initiator: CallInitiator,
        *,
        user_visible_data: str | None = None,
        user_visible_data_format: TextFormat | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
    ) -> OrderStarted:
        """Start an authentication order during a phone call (``POST phone/auth``).

        ``call_initiator`` is ``"user"`` (the user called) or ``"RP"`` (the relying party
        called). The answer has the order reference only.
        """
        payload = self._phone_payload(
            personal_number,
            call_initiator,
            user_visible_data,
            user_visible_data_format,
            user_non_visible_data,
            requirement,
        )
        return self._started(self._post("phone/auth", payload, idempotent=False))

    def phone_sign(
        self,
        personal_number: str,
        call_initiator: CallInitiator,
        user_visible_data: str,
        *,
        user_visible_data_format: TextFormat | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
    ) -> OrderStarted:
        """Start a signing order during a phone call (``POST phone/sign``)."""
        payload = self._phone_payload(
            personal_number,
            call_initiator,
            user_visible_data,
            user_visible_data_format,
            user_non_visible_data,
            requirement,
        )
        return self._started(self._post("phone/sign", payload, idempotent=False))

    # -- following orders ------------------------------------------------------------------

    def collect(self, order_ref: str) -> CollectResult:
        """The status of an order (``POST collect``); safe to repeat (see the module docstring)."""
        body = self._post("collect", {"orderRef": order_ref}, idempotent=True)
        where = "collect"
        status_code = 200
        returned_ref = _string(body, "orderRef", status_code, where)
        status = body.get("status")
        if status not in _STATUSES:
            raise _invalid(f"collect: unknown status {status!r}.", status_code)
        typed_status: Status = status
        if typed_status == "complete":
            completion = _parse_completion(
                _object(body, "completionData", status_code, where), status_code
            )
            return CollectResult(returned_ref, typed_status, None, completion)
        hint_code = _string(body, "hintCode", status_code, where)
        return CollectResult(returned_ref, typed_status, hint_code, None)

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order (``POST cancel``)."""
        self._post("cancel", {"orderRef": order_ref}, idempotent=False)

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _order_payload(
        user_visible_data: str | None,
        user_visible_data_format: TextFormat | None,
        user_non_visible_data: bytes | str | None,
        requirement: Requirement | None,
    ) -> dict[str, object]:
        payload: dict[str, object] = {}
        if user_visible_data is not None:
            payload["userVisibleData"] = _base64_text(user_visible_data)
            if user_visible_data_format is not None:
                payload["userVisibleDataFormat"] = user_visible_data_format
        elif user_visible_data_format is not None:
            raise ValueError("user_visible_data_format needs user_visible_data.")
        if user_non_visible_data is not None:
            payload["userNonVisibleData"] = _base64_data(user_non_visible_data)
        if requirement is not None:
            requirement_json = requirement.to_json()
            if requirement_json:
                payload["requirement"] = requirement_json
        return payload

    def _phone_payload(
        self,
        personal_number: str,
        call_initiator: CallInitiator,
        user_visible_data: str | None,
        user_visible_data_format: TextFormat | None,
        user_non_visible_data: bytes | str | None,
        requirement: Requirement | None,
    ) -> dict[str, object]:
        if requirement is not None and requirement.personal_number is not None:
            raise ValueError(
                "The phone endpoints take the personal number as a parameter, not as a requirement."
            )
        payload = self._order_payload(
            user_visible_data, user_visible_data_format, user_non_visible_data, requirement
        )
        payload["personalNumber"] = personal_number
        payload["callInitiator"] = call_initiator
        return payload

    @staticmethod
    def _started(body: Mapping[str, object]) -> OrderStarted:
        where = "order start"
        return OrderStarted(
            order_ref=_string(body, "orderRef", 200, where),
            auto_start_token=_optional_string(body, "autoStartToken", 200, where),
            qr_start_token=_optional_string(body, "qrStartToken", 200, where),
            qr_start_secret=_optional_string(body, "qrStartSecret", 200, where),
        )

    def _post(
        self, endpoint: str, payload: Mapping[str, object], *, idempotent: bool
    ) -> dict[str, object]:
        attempt = 1
        while True:
            retry = attempt < self._max_attempts
            try:
                response = self._http.post(endpoint, json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never reached the service: repeating it is always safe.
                if retry:
                    self._pause(attempt)
                    attempt += 1
                    continue
                raise BankIdError(
                    CONNECTION_ERROR,
                    f"Could not connect to {self.base_url} ({type(exc).__name__}: {exc}).",
                    None,
                ) from exc
            except httpx.TimeoutException as exc:
                if idempotent and retry:
                    self._pause(attempt)
                    attempt += 1
                    continue
                raise BankIdError(
                    CLIENT_TIMEOUT,
                    f"No answer from {self.base_url}/{endpoint} within {self.timeout} s "
                    f"({type(exc).__name__}).",
                    None,
                ) from exc
            except httpx.TransportError as exc:
                if idempotent and retry:
                    self._pause(attempt)
                    attempt += 1
                    continue
                raise BankIdError(
                    CONNECTION_ERROR,
                    f"The connection to {self.base_url} failed during {endpoint} "
                    f"({type(exc).__name__}: {exc}).",
                    None,
                ) from exc
            if response.status_code == httpx.codes.SERVICE_UNAVAILABLE and retry:
                # maintenance: BankID allows trying again without telling the user.
                self._pause(attempt)
                attempt += 1
                continue
            return self._decode(response)

    def _pause(self, attempt: int) -> None:
        if self._retry_delay > 0:
            self._sleep(self._retry_delay * (2 ** (attempt - 1)))

    @staticmethod
    def _decode(response: httpx.Response) -> dict[str, object]:
        status = response.status_code
        body: dict[str, object] | None = None
        try:
            parsed: object = response.json()
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            body = cast(dict[str, object], parsed)
        if status == httpx.codes.OK:
            if body is None:
                raise _invalid(
                    f"HTTP 200 with a body that is not a JSON object: {_excerpt(response)}.", status
                )
            return body
        if body is not None and isinstance(body.get("errorCode"), str) and body["errorCode"]:
            details = body.get("details")
            raise BankIdError(
                cast(str, body["errorCode"]), details if isinstance(details, str) else "", status
            )
        code = _CODE_FOR_STATUS.get(status, INVALID_RESPONSE)
        raise BankIdError(
            code,
            f"HTTP {status} without a BankID error body (not JSON with errorCode): "
            f"{_excerpt(response)}.",
            status,
        )
