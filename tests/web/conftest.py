"""Fixtures the portal tests share with the billing tests."""

from tests.billing.conftest import exchange, payer  # noqa: F401
