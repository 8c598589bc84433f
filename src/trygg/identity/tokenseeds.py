"""Security tokens' seeds, encrypted at rest (Fernet under a key derived from TRYGG_TOKEN_KEY)."""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


@functools.lru_cache(maxsize=2)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


def seed_encrypt(seed: bytes) -> bytes:
    return _fernet(settings.TRYGG_TOKEN_KEY).encrypt(seed)


def seed_decrypt(token: bytes | memoryview) -> bytes:
    return _fernet(settings.TRYGG_TOKEN_KEY).decrypt(bytes(token))
