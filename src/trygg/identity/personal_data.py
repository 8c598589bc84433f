"""Identity's entries in the personal-data map (see ``trygg.kernel.datamap``): customers'
credentials and log-ins, staff users and their authenticators, and the sessions of both."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Processing as P
from trygg.kernel.datamap import Purge, model_map

MAP = (
    model_map(
        "identity.StaffUser",
        P.STAFF,
        {
            "password": C.CREDENTIAL,
            "last_login": C.ACTIVITY,
            "username": C.EMPLOYEE,
            "first_name": C.EMPLOYEE,
            "last_name": C.EMPLOYEE,
            "email": C.EMPLOYEE,
            "date_joined": C.EMPLOYEE,
            "groups": C.EMPLOYEE,
            "user_permissions": C.EMPLOYEE,
        },
        other=("is_superuser", "is_staff", "is_active"),
    ),
    model_map("auth.Group", P.STAFF, {}, other=("name", "permissions")),
    model_map("auth.Permission", P.STAFF, {}, other=("name", "content_type", "codename")),
    model_map("contenttypes.ContentType", P.STAFF, {}, other=("app_label", "model")),
    model_map(
        "otp_totp.TOTPDevice",
        P.STAFF,
        {
            "user": C.EMPLOYEE,
            "key": C.CREDENTIAL,
            "throttling_failure_timestamp": C.ACTIVITY,
            "throttling_failure_count": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "last_used_at": C.ACTIVITY,
            "drift": C.CREDENTIAL,
            "last_t": C.CREDENTIAL,
        },
        other=("name", "confirmed", "step", "t0", "digits", "tolerance"),
    ),
    model_map(
        "otp_static.StaticDevice",
        P.STAFF,
        {
            "user": C.EMPLOYEE,
            "throttling_failure_timestamp": C.ACTIVITY,
            "throttling_failure_count": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "last_used_at": C.ACTIVITY,
        },
        other=("name", "confirmed"),
    ),
    model_map("otp_static.StaticToken", P.STAFF, {"device": C.EMPLOYEE, "token": C.CREDENTIAL}),
    model_map(
        "sessions.Session",
        P.LOGIN,
        {"session_key": C.ONLINE, "session_data": C.ONLINE, "expire_date": C.ONLINE},
        key=None,
    ),
    model_map(
        "identity.PinCredential",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "pin_hash": C.CREDENTIAL,
            "must_change": C.CREDENTIAL,
            "created_at": C.ACTIVITY,
            "changed_at": C.ACTIVITY,
        },
    ),
    model_map(
        "identity.PasswordCredential",
        P.LOGIN,
        {"party": C.IDENTITY, "password_hash": C.CREDENTIAL, "set_at": C.ACTIVITY},
    ),
    model_map(
        "identity.PasswordSetupCode",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "code_hash": C.CREDENTIAL,
            "issued_at": C.ACTIVITY,
            "issued_by": (C.EMPLOYEE, P.STAFF),
            "expires_at": C.ACTIVITY,
            "used_at": C.ACTIVITY,
        },
        other=("void",),
    ),
    model_map(
        "identity.LoginThrottle",
        P.LOGIN,
        {
            "key": C.ONLINE,  # keyed by the identity number
            "failures": C.ONLINE,
            "locked_at": C.ONLINE,
            "locked_until": C.ONLINE,
            "last_failure_at": C.ONLINE,
        },
    ),
    model_map(
        "identity.BankIdOrder",
        P.LOGIN,
        {"order_ref": C.ONLINE, "created_at": C.ONLINE, "used_at": C.ONLINE},
        other=("channel", "state"),
    ),
    model_map(
        "identity.LoginEvent",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "occurred_at": C.ONLINE,
            "method": C.ONLINE,
            "channel": C.ONLINE,
            "success": C.ONLINE,
            "ip": C.ONLINE,
        },
    ),
    model_map(
        "identity.PinLetter",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "issued_at": C.ACTIVITY,
            "issued_by": (C.EMPLOYEE, P.STAFF),
            "status": C.ACTIVITY,
            "document": C.CREDENTIAL,
            "dispatched_at": C.ACTIVITY,
            "dispatched_by": (C.EMPLOYEE, P.STAFF),
        },
    ),
    model_map(
        "identity.SecurityToken",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "serial": C.CREDENTIAL,
            "seed_encrypted": C.CREDENTIAL,
            "state": C.CREDENTIAL,
            "ordered_at": C.ACTIVITY,
            "sent_at": C.ACTIVITY,
            "tracking_number": C.ACTIVITY,
            "activated_at": C.ACTIVITY,
            "closed_at": C.ACTIVITY,
            "last_step": C.CREDENTIAL,
            "last_challenge": C.CREDENTIAL,
        },
        other=("kind", "suite"),
    ),
    model_map(
        "identity.SigningOrder",
        P.LOGIN,
        {
            "party": C.IDENTITY,
            "acting_for": C.IDENTITY,
            "function": C.ACTIVITY,
            "kind": C.ACTIVITY,
            "payload": C.FINANCIAL,
            "summary": C.FINANCIAL,
            "challenge": C.CREDENTIAL,
            "method": C.ACTIVITY,
            "state": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "expires_at": C.ACTIVITY,
            "signed_at": C.ACTIVITY,
            "used_at": C.ACTIVITY,
            "evidence": C.CREDENTIAL,
        },
        other=("public_id", "payload_hash"),
    ),
)

# The log-in history is an access log: 13 months (seed 002).
RETENTION = (
    Purge("access-log", "identity.LoginEvent", "occurred_at", subjects=("party",)),
    Purge("access-log", "identity.BankIdOrder", "created_at"),
    Purge("access-log", "identity.PasswordSetupCode", "issued_at", subjects=("party",)),
)
