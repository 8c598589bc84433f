"""What the protection service's forms share: a refused card number is never shown again."""

from __future__ import annotations

from django import forms

from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems


def refuse(form: forms.Form, error: DomainError) -> None:
    """Show the service's refusal beside each field; a field that held a card number is
    emptied, so the page never sends the number back (PCI DSS 3.3/3.4)."""
    apply_problems(form, error)
    refused = {p.field for p in error.problems if p.code == "card_number.refused" and p.field}
    if refused:
        data = {key: form.data.get(key) for key in form.data}
        for name in refused:
            data[name] = ""
        form.data = data
