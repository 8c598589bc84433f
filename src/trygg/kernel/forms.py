"""Showing a service's refusal on a Django form (portal and back office alike), and the
portal's preview-and-confirm step of an action that cannot be undone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from trygg.kernel.errors import DomainError

T = TypeVar("T")


def apply_problems(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, each problem beside its field."""
    for problem in error.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


class ConfirmForm(forms.Form):
    """A portal action that cannot be undone, previewed then confirmed (decision 0098): the
    object is in the URL, so the form has no fields of its own; ``kernel.admin.confirmed``
    carries the preview's fingerprint and the customer's "yes"."""


def portal_confirmation(
    request: HttpRequest,
    *,
    action: Callable[[], T],
    consequence: Callable[[T], str | Promise],
    title: str | Promise,
    confirm_label: str | Promise,
    back: str,
) -> tuple[T, HttpResponse | None]:
    """Run the service call ``action``; keep it only when the customer has confirmed the
    preview. Returns (the service's result, None) when it is done, or (the undone result, the
    preview page: what will happen, a button that confirms it and a way back that changes
    nothing). A refusal (``DomainError``) passes through with nothing kept."""
    from trygg.kernel.admin import carried_out_if_confirmed  # a model module

    form = ConfirmForm(request.POST)
    form.is_valid()
    kept, result = carried_out_if_confirmed(request, form, action, consequence)
    if kept:
        return result, None
    page = render(
        request,
        "web/confirm.html",
        {"form": form, "title": title, "confirm_label": confirm_label, "back": back},
    )
    return result, page
