"""The simulator's orders: request validation, order state, expiry. In memory, thread-safe.

:class:`OrderStore` implements the relying party API (:meth:`~OrderStore.start`,
:meth:`~OrderStore.collect`, :meth:`~OrderStore.cancel`) and the control API that plays the
user's BankID app (:meth:`~OrderStore.scan`, :meth:`~OrderStore.confirm_call`,
:meth:`~OrderStore.complete`, :meth:`~OrderStore.fail`). Every method takes one lock, so the
threads of the HTTP server see one consistent set of orders. Failures are :class:`ApiError`
with the HTTP status and the ``errorCode``/``details`` body.

Life of an order (times are :class:`Timing`, on the injected monotonic ``clock``):

* ``pending``/``outstandingTransaction`` when created;
* the app picks it up (``scan``: QR code or autostart token or, for phone orders, the push
  notification): ``userSign``, or ``userMrtd`` when ``requirement.mrtd`` asks for an ID
  document check; phone orders first wait in ``userCallConfirm`` until the user confirms the
  call (``confirm_call``);
* ``complete`` with ``completionData``, or ``failed`` with a hint code;
* an ``auth``/``sign`` order that no app picked up within ``start_timeout`` (30 s) fails with
  ``startFailed``, which is what BankID answers when an animated QR code was not scanned in
  time; any order still pending after ``order_timeout`` (3 min) fails with
  ``expiredTransaction``;
* a finished order can be collected again, with the same answer, for ``completed_retention``
  (3 min) or ``failed_retention`` (5 min), BankID's documented limits; after that, or after
  ``cancel``, the order is gone and ``collect`` answers ``invalidParameters`` "No such order".

A second order for a personal number that already has a pending order (``requirement.
personalNumber`` or the phone endpoints' ``personalNumber``) is refused with
``alreadyInProgress``, and the pending order fails with ``cancelled``, as BankID describes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal, cast

from trygg.kernel.idnumbers import IdNumberError, parse_swedish_personal
from trygg.simulators.bankid.documents import ocsp_statement, signature_xml
from trygg.simulators.bankid.persons import Person, find_person

__all__ = [
    "FAIL_HINT_CODES",
    "ApiError",
    "Endpoint",
    "JsonObject",
    "Order",
    "OrderStore",
    "Timing",
]

JsonObject = dict[str, object]
Endpoint = Literal["auth", "sign", "phone/auth", "phone/sign"]
Status = Literal["pending", "failed", "complete"]

# Limits from the API description: characters after base64 encoding.
_VISIBLE_MAX: Final[dict[str, int]] = {"auth": 1_500, "sign": 40_000}
_NON_VISIBLE_MAX: Final[dict[str, int]] = {"auth": 1_500, "sign": 200_000}
_TEXT_FORMATS: Final = ("simpleMarkdownV1", "plaintext")
_CALL_INITIATORS: Final = ("user", "RP")
_CARD_READERS: Final = ("class1", "class2")
_REQUIREMENT_KEYS: Final = frozenset(
    {"pinCode", "mrtd", "cardReader", "certificatePolicies", "personalNumber"}
)
_RETURN_URL_MAX: Final = 2_000
_PERSONAL_NUMBER_RE: Final = re.compile(r"[0-9]{12}")
_OID_RE: Final = re.compile(r"[0-9]+(\.[0-9]+)*")
_SECONDS_RE: Final = re.compile(r"0|[1-9][0-9]{0,8}")
# The address used for the device when the order has no endUserIp (RFC 5737 documentation range).
_FALLBACK_DEVICE_IP: Final = "192.0.2.10"
_FALLBACK_ISSUE_DATE: Final = dt.date(2020, 1, 15)

FAIL_HINT_CODES: Final = (
    "userCancel",
    "expiredTransaction",
    "certificateErr",
    "startFailed",
    "userDeclinedCall",
)


class ApiError(Exception):
    """An error answer: ``http_status`` and the body ``{"errorCode": ..., "details": ...}``."""

    def __init__(self, http_status: int, error_code: str, details: str) -> None:
        super().__init__(f"{http_status} {error_code}: {details}")
        self.http_status = http_status
        self.error_code = error_code
        self.details = details

    def body(self) -> JsonObject:
        return {"errorCode": self.error_code, "details": self.details}


def _invalid(details: str) -> ApiError:
    return ApiError(400, "invalidParameters", details)


@dataclass(frozen=True)
class Timing:
    """Time limits in seconds (see the module docstring); tests make them short."""

    start_timeout: float = 30.0
    order_timeout: float = 180.0
    completed_retention: float = 180.0
    failed_retention: float = 300.0
    # How old a scanned QR frame may be (seconds between its number and the order's age).
    qr_max_age: float = 5.0


@dataclass
class Order:
    order_ref: str
    endpoint: Endpoint
    end_user_ip: str | None
    personal_number: str | None
    call_initiator: str | None
    requirement: JsonObject
    user_visible_data: str | None
    user_visible_data_format: str | None
    user_non_visible_data: str | None
    return_url: str | None
    auto_start_token: str | None
    qr_start_token: str | None
    qr_start_secret: str | None
    created_at: float
    status: Status = "pending"
    hint_code: str | None = "outstandingTransaction"
    picked_up: bool = False
    finished_at: float | None = None
    completion_data: JsonObject | None = None

    @property
    def is_phone(self) -> bool:
        return self.endpoint.startswith("phone/")

    @property
    def kind(self) -> Literal["auth", "sign"]:
        return "sign" if self.endpoint.endswith("sign") else "auth"

    @property
    def visible_text(self) -> str | None:
        """``userVisibleData`` decoded (validated as base64 of UTF-8 when the order started)."""
        if self.user_visible_data is None:
            return None
        return base64.b64decode(self.user_visible_data).decode("utf-8")

    def collect_body(self) -> JsonObject:
        body: JsonObject = {"orderRef": self.order_ref, "status": self.status}
        if self.status == "complete":
            body["completionData"] = self.completion_data
        else:
            body["hintCode"] = self.hint_code
        return body

    def summary(self, now: float) -> JsonObject:
        """What the control API and the app page show about the order (never the QR secret)."""
        return {
            "orderRef": self.order_ref,
            "endpoint": self.endpoint,
            "type": self.kind,
            "phone": self.is_phone,
            "status": self.status,
            "hintCode": self.hint_code,
            "personalNumber": self.personal_number,
            "callInitiator": self.call_initiator,
            "endUserIp": self.end_user_ip,
            "userVisibleData": self.visible_text,
            "userVisibleDataFormat": self.user_visible_data_format,
            "requirement": self.requirement,
            "qrStartToken": self.qr_start_token,
            "ageSeconds": round(now - self.created_at, 3),
        }


# -- request validation --------------------------------------------------------------------


def _personal_number(value: object) -> str:
    if not isinstance(value, str) or not _PERSONAL_NUMBER_RE.fullmatch(value):
        raise _invalid("Incorrect personalNumber: 12 digits, YYYYMMDDNNNN.")
    try:
        parse_swedish_personal(value)
    except IdNumberError as exc:
        raise _invalid(f"Incorrect personalNumber: {exc.message}") from exc
    return value


def _ip_address(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise _invalid(f"Invalid {key}.")
    try:
        ipaddress.ip_address(value)
    except ValueError as exc:
        raise _invalid(f"Invalid {key}: not an IPv4 or IPv6 address.") from exc
    return value


def _base64_field(body: JsonObject, key: str, *, max_length: int, required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise _invalid(f"{key} is required.")
        return None
    if not isinstance(value, str) or not value:
        raise _invalid(f"Invalid {key}: a non-empty base64 string is required.")
    if len(value) > max_length:
        raise _invalid(
            f"Invalid {key}: {len(value)} characters after base64 encoding, "
            f"at most {max_length} are allowed."
        )
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"Invalid {key}: not valid base64.") from exc
    if base64.b64encode(decoded).decode("ascii") != value:
        raise _invalid(f"Invalid {key}: not valid base64 (padding or trailing bits).")
    return value


def _requirement(value: object, *, phone: bool) -> JsonObject:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _invalid("Invalid requirement: an object is required.")
    requirement = cast(JsonObject, value)
    for key in requirement:
        if key not in _REQUIREMENT_KEYS:
            raise _invalid(f"Invalid requirement: unknown key {key!r}.")
    if phone and "personalNumber" in requirement:
        raise _invalid("Invalid requirement: personalNumber is a parameter of phone orders.")
    for key in ("pinCode", "mrtd"):
        if key in requirement and not isinstance(requirement[key], bool):
            raise _invalid(f"Invalid requirement: {key} must be a boolean.")
    if "cardReader" in requirement and requirement["cardReader"] not in _CARD_READERS:
        raise _invalid("Invalid requirement: cardReader must be class1 or class2.")
    if "certificatePolicies" in requirement:
        policies = requirement["certificatePolicies"]
        if (
            not isinstance(policies, list)
            or not policies
            or not all(isinstance(p, str) and _OID_RE.fullmatch(p) for p in policies)
        ):
            raise _invalid("Invalid requirement: certificatePolicies must be a list of OIDs.")
    if "personalNumber" in requirement:
        _personal_number(requirement["personalNumber"])
    return dict(requirement)


@dataclass(frozen=True)
class _StartRequest:
    endpoint: Endpoint
    end_user_ip: str | None
    personal_number: str | None
    call_initiator: str | None
    requirement: JsonObject
    user_visible_data: str | None
    user_visible_data_format: str | None
    user_non_visible_data: str | None
    return_url: str | None


def _parse_start(endpoint: Endpoint, body: JsonObject) -> _StartRequest:
    phone = endpoint.startswith("phone/")
    kind = "sign" if endpoint.endswith("sign") else "auth"
    personal_number: str | None = None
    call_initiator: str | None = None
    if phone:
        if "personalNumber" not in body:
            raise _invalid("personalNumber is required.")
        personal_number = _personal_number(body["personalNumber"])
        initiator = body.get("callInitiator")
        if initiator not in _CALL_INITIATORS:
            raise _invalid("Invalid callInitiator: user or RP is required.")
        call_initiator = initiator
        end_user_ip = (
            None if body.get("endUserIp") is None else _ip_address(body["endUserIp"], "endUserIp")
        )
    else:
        if "endUserIp" not in body:
            raise _invalid("endUserIp is required.")
        end_user_ip = _ip_address(body["endUserIp"], "endUserIp")

    visible = _base64_field(
        body, "userVisibleData", max_length=_VISIBLE_MAX[kind], required=kind == "sign"
    )
    if visible is not None:
        try:
            base64.b64decode(visible).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _invalid("Invalid userVisibleData: not UTF-8 text.") from exc
    text_format = body.get("userVisibleDataFormat")
    if text_format is not None and text_format not in _TEXT_FORMATS:
        raise _invalid("Invalid userVisibleDataFormat: simpleMarkdownV1 or plaintext.")
    non_visible = _base64_field(
        body, "userNonVisibleData", max_length=_NON_VISIBLE_MAX[kind], required=False
    )
    requirement = _requirement(body.get("requirement"), phone=phone)
    if not phone and "personalNumber" in requirement:
        personal_number = cast(str, requirement["personalNumber"])
    return_url = body.get("returnUrl")
    if return_url is not None and (
        not isinstance(return_url, str) or not 0 < len(return_url) <= _RETURN_URL_MAX
    ):
        raise _invalid("Invalid returnUrl.")
    return _StartRequest(
        endpoint=endpoint,
        end_user_ip=end_user_ip,
        personal_number=personal_number,
        call_initiator=call_initiator,
        requirement=requirement,
        user_visible_data=visible,
        user_visible_data_format=text_format,
        user_non_visible_data=non_visible,
        return_url=return_url,
    )


def _order_ref(body: JsonObject) -> str:
    value = body.get("orderRef")
    if not isinstance(value, str) or not value:
        raise _invalid("orderRef is required.")
    return value


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- the store -----------------------------------------------------------------------------


class OrderStore:
    """All orders of one simulator (see the module docstring).

    ``clock`` is a monotonic clock in seconds (tests pass a fake one to skip waiting);
    ``utc_now`` stamps the signature documents.
    """

    def __init__(
        self,
        timing: Timing | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        utc_now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.timing = timing or Timing()
        self._clock = clock
        self._utc_now = utc_now
        self._lock = threading.Lock()
        self._orders: dict[str, Order] = {}
        self._key = secrets.token_bytes(32)

    # -- relying party API -----------------------------------------------------------------

    def start(self, endpoint: Endpoint, body: JsonObject) -> JsonObject:
        request = _parse_start(endpoint, body)
        with self._lock:
            now = self._clock()
            self._sweep(now)
            if request.personal_number is not None:
                for other in self._orders.values():
                    if other.status == "pending" and other.personal_number == (
                        request.personal_number
                    ):
                        self._finish(other, "failed", "cancelled", now)
                        raise ApiError(
                            400,
                            "alreadyInProgress",
                            "Order already in progress for pno. The existing order is cancelled.",
                        )
            phone = endpoint.startswith("phone/")
            order = Order(
                order_ref=str(uuid.uuid4()),
                endpoint=endpoint,
                end_user_ip=request.end_user_ip,
                personal_number=request.personal_number,
                call_initiator=request.call_initiator,
                requirement=request.requirement,
                user_visible_data=request.user_visible_data,
                user_visible_data_format=request.user_visible_data_format,
                user_non_visible_data=request.user_non_visible_data,
                return_url=request.return_url,
                auto_start_token=None if phone else str(uuid.uuid4()),
                qr_start_token=None if phone else str(uuid.uuid4()),
                qr_start_secret=None if phone else str(uuid.uuid4()),
                created_at=now,
            )
            self._orders[order.order_ref] = order
            answer: JsonObject = {"orderRef": order.order_ref}
            if not phone:
                answer["autoStartToken"] = order.auto_start_token
                answer["qrStartToken"] = order.qr_start_token
                answer["qrStartSecret"] = order.qr_start_secret
            return answer

    def collect(self, body: JsonObject) -> JsonObject:
        order_ref = _order_ref(body)
        with self._lock:
            self._sweep(self._clock())
            order = self._orders.get(order_ref)
            if order is None:
                raise _invalid("No such order")
            return order.collect_body()

    def cancel(self, body: JsonObject) -> JsonObject:
        order_ref = _order_ref(body)
        with self._lock:
            self._sweep(self._clock())
            if self._orders.pop(order_ref, None) is None:
                raise _invalid("No such order")
            return {}

    # -- control API (the user's BankID app) -----------------------------------------------

    def pending(self) -> list[JsonObject]:
        with self._lock:
            now = self._clock()
            self._sweep(now)
            orders = sorted(self._orders.values(), key=lambda o: o.created_at)
            return [o.summary(now) for o in orders if o.status == "pending"]

    def order(self, order_ref: str) -> JsonObject:
        with self._lock:
            now = self._clock()
            self._sweep(now)
            return self._get(order_ref).summary(now)

    def scan(self, order_ref: str, qr: str | None = None) -> JsonObject:
        """The app picks the order up, by reading QR frame ``qr`` or (``None``) by autostart
        token or push notification. A QR frame is checked like BankID does: token, HMAC, age."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            order = self._pending(order_ref)
            if qr is not None:
                self._check_qr(order, qr, now)
            if not order.picked_up:
                order.picked_up = True
                if order.is_phone:
                    order.hint_code = "userCallConfirm"
                else:
                    order.hint_code = self._signing_hint(order)
            return order.summary(now)

    def confirm_call(self, order_ref: str) -> JsonObject:
        """The user confirms in the app that they are in a call with the relying party."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            order = self._pending(order_ref)
            if not order.is_phone:
                raise ApiError(409, "notPhoneOrder", "Only phone orders ask about a call.")
            if order.hint_code != "userCallConfirm":
                raise ApiError(409, "notWaitingForCall", "Scan the order first.")
            order.hint_code = self._signing_hint(order)
            return order.summary(now)

    def complete(
        self,
        order_ref: str,
        *,
        personal_number: str | None = None,
        ip_address: str | None = None,
        given_name: str | None = None,
        surname: str | None = None,
    ) -> JsonObject:
        """The user identifies or signs. ``personal_number`` chooses the person for an order
        that is not bound to one (a QR or same-device order without
        ``requirement.personalNumber``); for a bound order it may only repeat that number.
        A number outside the test persons is accepted with ``given_name``/``surname``."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            order = self._pending(order_ref)
            chosen = order.personal_number
            if personal_number is not None:
                given = _personal_number(personal_number)
                if chosen is not None and given != chosen:
                    raise ApiError(409, "otherPerson", "The order is for another personal number.")
                chosen = given
            if chosen is None:
                raise _invalid("personalNumber is required: the order is not bound to a person.")
            device_ip = order.end_user_ip or _FALLBACK_DEVICE_IP
            if ip_address is not None:
                device_ip = _ip_address(ip_address, "ipAddress")
            person = find_person(chosen) or Person(
                chosen, given_name or "Test", surname or "Testsson", _FALLBACK_ISSUE_DATE
            )
            order.completion_data = self._completion_data(order, person, device_ip)
            order.picked_up = True
            self._finish(order, "complete", None, now)
            return order.summary(now)

    def fail(self, order_ref: str, hint_code: str) -> JsonObject:
        """The order fails with ``hint_code`` (one of :data:`FAIL_HINT_CODES`)."""
        if hint_code not in FAIL_HINT_CODES:
            raise _invalid(f"hintCode must be one of {', '.join(FAIL_HINT_CODES)}.")
        with self._lock:
            now = self._clock()
            self._sweep(now)
            order = self._pending(order_ref)
            if hint_code == "userDeclinedCall" and not order.is_phone:
                raise ApiError(409, "notPhoneOrder", "userDeclinedCall is for phone orders.")
            self._finish(order, "failed", hint_code, now)
            return order.summary(now)

    # -- internals -------------------------------------------------------------------------

    def _get(self, order_ref: str) -> Order:
        order = self._orders.get(order_ref)
        if order is None:
            raise ApiError(404, "notFound", f"No order {order_ref!r} (unknown or expired).")
        return order

    def _pending(self, order_ref: str) -> Order:
        order = self._get(order_ref)
        if order.status != "pending":
            raise ApiError(
                409, "notPending", f"The order is {order.status} ({order.hint_code or 'done'})."
            )
        return order

    @staticmethod
    def _signing_hint(order: Order) -> str:
        return "userMrtd" if order.requirement.get("mrtd") is True else "userSign"

    def _check_qr(self, order: Order, qr: str, now: float) -> None:
        def refuse(details: str) -> ApiError:
            return ApiError(400, "invalidQrCode", details)

        if order.qr_start_token is None or order.qr_start_secret is None:
            raise refuse("This order has no QR code (phone orders are not started with one).")
        parts = qr.split(".")
        if len(parts) != 4 or parts[0] != "bankid":
            raise refuse("Not a BankID QR code: bankid.<qrStartToken>.<seconds>.<qrAuthCode>.")
        _, token, seconds_text, auth_code = parts
        if not hmac.compare_digest(token.encode(), order.qr_start_token.encode()):
            raise refuse("The QR code belongs to another order (qrStartToken differs).")
        if not _SECONDS_RE.fullmatch(seconds_text):
            raise refuse("The QR code's time is not a whole number of seconds.")
        expected = hmac.new(
            order.qr_start_secret.encode("utf-8"), seconds_text.encode("ascii"), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(auth_code.encode(), expected.encode()):
            raise refuse("qrAuthCode is not HMAC-SHA256(qrStartSecret, seconds).")
        age = now - order.created_at
        seconds = int(seconds_text)
        if seconds > age + 1:
            raise refuse(f"The QR code is for second {seconds}; the order is {age:.1f} s old.")
        if age - seconds > self.timing.qr_max_age:
            raise refuse(f"The QR code is from second {seconds}; the order is {age:.1f} s old.")

    def _completion_data(self, order: Order, person: Person, device_ip: str) -> JsonObject:
        signed_at = self._utc_now()
        document = signature_xml(
            key=self._key,
            kind=order.kind,
            order_ref=order.order_ref,
            personal_number=person.personal_number,
            name=person.name,
            user_visible_data=order.user_visible_data,
            user_visible_data_format=order.user_visible_data_format,
            user_non_visible_data=order.user_non_visible_data,
            end_user_ip=order.end_user_ip,
            signed_at=signed_at,
        )
        ocsp = ocsp_statement(
            key=self._key,
            order_ref=order.order_ref,
            personal_number=person.personal_number,
            produced_at=signed_at,
        )
        uhi = base64.b64encode(
            hashlib.sha256(f"uhi:{person.personal_number}".encode()).digest()
        ).decode("ascii")
        data: JsonObject = {
            "user": {
                "personalNumber": person.personal_number,
                "name": person.name,
                "givenName": person.given_name,
                "surname": person.surname,
            },
            "device": {"ipAddress": device_ip, "uhi": uhi},
            "bankIdIssueDate": person.bank_id_issue_date.isoformat(),
        }
        if order.requirement.get("mrtd") is True:
            data["stepUp"] = {"mrtd": True}
        data["signature"] = base64.b64encode(document).decode("ascii")
        data["ocspResponse"] = base64.b64encode(ocsp).decode("ascii")
        return data

    @staticmethod
    def _finish(order: Order, status: Status, hint_code: str | None, at: float) -> None:
        order.status = status
        order.hint_code = hint_code
        order.finished_at = at

    def _settle(self, order: Order, now: float) -> None:
        if order.status != "pending":
            return
        timing = self.timing
        age = now - order.created_at
        if not order.is_phone and not order.picked_up and age >= timing.start_timeout:
            self._finish(order, "failed", "startFailed", order.created_at + timing.start_timeout)
        elif age >= timing.order_timeout:
            self._finish(
                order, "failed", "expiredTransaction", order.created_at + timing.order_timeout
            )

    def _sweep(self, now: float) -> None:
        gone: list[str] = []
        for order in self._orders.values():
            self._settle(order, now)
            if order.finished_at is None:
                continue
            keep = (
                self.timing.completed_retention
                if order.status == "complete"
                else self.timing.failed_retention
            )
            if now - order.finished_at >= keep:
                gone.append(order.order_ref)
        for order_ref in gone:
            del self._orders[order_ref]
