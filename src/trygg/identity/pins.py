"""PIN hashing: argon2id over an HMAC-SHA256 pepper.

The pepper (``TRYGG_PIN_PEPPER``) lives outside the database, so a leaked table of hashes
cannot be brute-forced over the 10^4–10^6 possible PINs without it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from trygg.identity.rules import pin_problems


class PinHasher:
    def __init__(self, *, pepper: str, time_cost: int, memory_kib: int, parallelism: int) -> None:
        if not pepper:
            raise ValueError("A PIN pepper is required.")
        self._pepper = pepper.encode()
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        # Verifying against this when there is no credential takes the same time as a real check.
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def _peppered(self, pin: str) -> str:
        return hmac.new(self._pepper, pin.encode(), hashlib.sha256).hexdigest()

    def hash(self, pin: str) -> str:
        return self._hasher.hash(self._peppered(pin))

    def verify(self, encoded: str | None, pin: str) -> bool:
        """True if ``pin`` matches ``encoded``; with ``None`` it spends the same time and fails."""
        target = encoded or self._dummy
        try:
            ok: bool = self._hasher.verify(target, self._peppered(pin))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        return ok and encoded is not None

    def needs_rehash(self, encoded: str) -> bool:
        return self._hasher.check_needs_rehash(encoded)


def generate_initial_pin(length: int = 6) -> str:
    """A random PIN for a PIN letter that passes every rule (the customer changes it anyway)."""
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(length))
        if not pin_problems(pin):
            return pin
