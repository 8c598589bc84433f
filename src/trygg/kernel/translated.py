"""Texts that change only with the active language, worked out once per language.

A choice's label or a template's constant ``{% translate %}`` goes through a lazy string, the
active language's thread-local and the catalogue every time it is shown; the log-in table alone
shows twenty labels per overview. What is kept here is keyed by the language and dropped when a
setting changes (tests) or a message catalogue is recompiled (the development server).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from django.core.signals import setting_changed
from django.db.models import Choices
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

T = TypeVar("T")

# Keys come from the code and the templates (a message, a URL name) and from the deployment
# (the script prefix): a few hundred. The bound keeps a key taken from a request, should one ever
# be, from growing the dictionary without end.
MAX_KEPT = 10_000
_kept: dict[tuple[Hashable, ...], object] = {}


def per_language(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` the first time for ``key`` in the active language, then what it gave."""
    full = (*key, get_language())
    try:
        return _kept[full]  # type: ignore[return-value]
    except KeyError:
        value = compute()
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[full] = value
        return value


def label(member: Choices) -> str:
    """A choice's label in the active language (``LoginMethod.PIN`` → "PIN-kod")."""
    return per_language((type(member), member.value), lambda: str(member.label))


def forget(**_: object) -> None:
    """Drop everything kept (a setting or a message catalogue changed)."""
    _kept.clear()


def _catalogue_changed(file_path: Path, **_: object) -> None:
    if file_path.suffix == ".mo":
        forget()


setting_changed.connect(forget, dispatch_uid="trygg.kernel.translated")
file_changed.connect(_catalogue_changed, dispatch_uid="trygg.kernel.translated")
