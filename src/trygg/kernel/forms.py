"""Showing a service's refusal on a Django form (portal and back office alike)."""

from __future__ import annotations

from django import forms

from trygg.kernel.errors import DomainError


def apply_problems(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, each problem beside its field."""
    for problem in error.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)
