from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from trygg.identity.models import SigningOrder


class LoginIn(Schema):
    id_number: str = Field(max_length=20, description="Personal identity number, 10 or 12 digits")
    pin: str = Field(max_length=6, description="PIN, 4 to 6 digits")


class LoginOut(Schema):
    party_id: int
    customer_number: str
    name: str
    must_change_pin: bool


class PinChangeIn(Schema):
    current_pin: str = Field(max_length=6)
    new_pin: str = Field(max_length=6)
    new_pin_repeat: str = Field(max_length=6)


class ProblemOut(Schema):
    """An RFC 9457 problem (application/problem+json), as every error of the API answers."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str


class CsrfOut(Schema):
    csrf_token: str
    header: str = "X-CSRFToken"


class LoginEventOut(Schema):
    occurred_at: dt.datetime
    method: str
    channel: str
    success: bool


class TokenStartIn(Schema):
    id_number: str = Field(max_length=20, description="Personal identity number")


class TokenStartOut(Schema):
    challenge: str = Field(description="Enter this in the security token")
    expires_in: int = Field(description="Seconds the challenge is valid")


class TokenLoginIn(Schema):
    response: str = Field(max_length=8, description="The digits the token shows")


class SigningOut(Schema):
    signing_id: str
    summary: str = Field(description="What the customer signs; show it before signing")
    challenge: str = Field(description="Enter in the security token")
    expires_at: dt.datetime
    state: str


def signing_out(order: SigningOrder) -> SigningOut:
    return SigningOut(
        signing_id=order.public_id,
        summary=order.summary,
        challenge=order.challenge,
        expires_at=order.expires_at,
        state=order.state,
    )
