"""Every label the back office shows, in every model admin: the columns, the filters' titles,
the fieldsets' names, the fields of the forms (those read only too) and of the inline forms.
A label that reads the same in Swedish (or Norwegian) as in English is English that reached the
page, unless it is a word those languages share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.utils import translation

from trygg.identity.models import StaffUser

# Written the same in Swedish or Norwegian as in English.
SHARED = {"bank", "id", "imei", "isin", "kid", "ocr", "pbb", "pin", "problem", "status", "tariff"}
SHARED_WORDS = {
    "sv": SHARED | {"team", "version"},
    "nb": SHARED | {"team", "type"},
}


def _request() -> Any:
    request = RequestFactory().get("/backoffice/")
    request.user = StaffUser(username="granskare", is_staff=True, is_superuser=True)
    return request


def _field_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry.split("__")[0]
    if isinstance(entry, tuple) and isinstance(entry[0], str):
        return entry[0].split("__")[0]
    return None  # a filter class: its title is checked through its own gettext


def _labels(model: Any, model_admin: Any) -> Iterator[tuple[str, str]]:
    """(where, label) for everything the model admin names."""
    request = _request()
    for name in model_admin.get_list_display(request):
        yield f"column {name}", str(label_for_field(name, model, model_admin))
    for entry in model_admin.get_list_filter(request):
        name = _field_name(entry)
        if name is not None:
            yield f"filter {name}", str(label_for_field(name, model, model_admin))
        else:
            yield f"filter {entry.__name__}", str(entry.title)
    for title, _options in model_admin.get_fieldsets(request, None):
        if title:
            yield "fieldset", str(title)
    form = model_admin.get_form(request, None)
    for name, field in form.base_fields.items():
        yield f"field {name}", str(field.label)
        if field.help_text:
            yield f"help {name}", str(field.help_text)
    for name in model_admin.get_readonly_fields(request, None):
        yield f"read-only {name}", str(label_for_field(name, model, model_admin, form=form))
    for inline in model_admin.get_inline_instances(request, None):
        formset = inline.get_formset(request, None)
        for name, field in formset.form.base_fields.items():
            yield f"inline {inline.model.__name__} {name}", str(field.label)


def _english(language: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for model, model_admin in admin.site._registry.items():
        with translation.override("en"):
            english = list(_labels(model, model_admin))
        with translation.override(language):
            translated = list(_labels(model, model_admin))
        for (where, text), (_where, shown) in zip(english, translated, strict=True):
            if shown == text and text.strip().lower() not in SHARED_WORDS[language]:
                found.setdefault(model._meta.label, []).append(f"{where}: {text!r}")
    return found


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_back_office_label_is_in_the_staff_members_language(language: str) -> None:
    found = _english(language)
    assert found == {}, "\n".join(f"{model}: {', '.join(items)}" for model, items in found.items())


def test_the_check_finds_a_label_left_in_english() -> None:
    from trygg.banking.models import Account

    field = Account._meta.get_field("currency")
    kept = field.verbose_name
    field.verbose_name = "currency code"  # as Django derives a label no one translated
    try:
        found = _english("sv")
    finally:
        field.verbose_name = kept
    assert any("currency code" in item.lower() for item in found.get("banking.Account", []))
