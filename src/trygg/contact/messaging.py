"""Sending the outbox: e-mail through Django's e-mail backend (SMTP in production), SMS through
an HTTP gateway (the 46elks API: ``POST /a1/sms``, basic authentication, form fields ``from``,
``to``, ``message``). Outside production both go to local simulators (``trygg.simulators``)."""

from __future__ import annotations

import httpx
from django.conf import settings
from django.core.mail import EmailMessage


class SendFailed(Exception):
    pass


def send_email(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> str:
    try:
        sent = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers,
        ).send()
    except OSError as error:  # smtplib's errors are OSErrors
        raise SendFailed(f"e-mail: {error}") from error
    if sent != 1:
        raise SendFailed("e-mail: not accepted")
    return ""


def send_sms(*, to: str, body: str) -> str:
    """The gateway's id of the message."""
    url = settings.TRYGG_SMS_URL.rstrip("/") + "/a1/sms"
    try:
        response = httpx.post(
            url,
            data={"from": settings.TRYGG_SMS_FROM, "to": to, "message": body},
            auth=(settings.TRYGG_SMS_USER, settings.TRYGG_SMS_PASSWORD),
            timeout=10,
        )
    except httpx.HTTPError as error:
        raise SendFailed(f"sms: {error}") from error
    if response.status_code != 200:
        raise SendFailed(f"sms: {response.status_code} {response.text[:200]}")
    return str(response.json().get("id", ""))


def to_e164(phone: str) -> str:
    """A Swedish or international number as the gateway wants it (+46...)."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+46" + digits[1:]
    return digits
