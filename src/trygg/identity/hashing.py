"""The configured PIN hasher and the key for the shared failure counter."""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings

from trygg.identity.pins import PinHasher


@functools.lru_cache(maxsize=4)
def _hasher(pepper: str, time_cost: int, memory_kib: int, parallelism: int) -> PinHasher:
    return PinHasher(
        pepper=pepper, time_cost=time_cost, memory_kib=memory_kib, parallelism=parallelism
    )


def pin_hasher() -> PinHasher:
    return _hasher(
        settings.TRYGG_PIN_PEPPER,
        settings.TRYGG_ARGON2_TIME_COST,
        settings.TRYGG_ARGON2_MEMORY_KIB,
        settings.TRYGG_ARGON2_PARALLELISM,
    )


def throttle_key(country: str, id_number: str) -> str:
    """The failure counter's key for an identity number: an HMAC, so the table holds no numbers."""
    message = f"login-throttle:{country}:{id_number}".encode()
    return hmac.new(settings.TRYGG_PIN_PEPPER.encode(), message, hashlib.sha256).hexdigest()


def staff_throttle_key(kind: str, value: str) -> str:
    """The staff log-in failure counter's key for a user name (``kind`` "user", case folded)
    or an address (``kind`` "address"): an HMAC, so the table holds neither."""
    message = f"staff-login:{kind}:{value.casefold()}".encode()
    return hmac.new(settings.TRYGG_PIN_PEPPER.encode(), message, hashlib.sha256).hexdigest()
