"""System checks of trygg's own set-up."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.template import engines

# The one template tag library that trygg replaces on purpose (settings.TEMPLATES).
INTENDED_OVERRIDES = {
    "i18n": {"django.templatetags.i18n", "trygg.kernel.templatetags.constant_tags"},
}


@register(Tags.templates)
def template_tag_libraries(**_: Any) -> list[Warning]:
    """Django's check that no two modules share a template tag library's name
    (``templates.W003``, silenced in the settings) less the override of ``i18n`` by
    ``constant_tags``, which is what the settings ask for: any other clash is reported."""
    from django.template.backends.django import DjangoTemplates, get_template_tag_modules

    found: dict[str, set[str]] = {}
    for name, path in get_template_tag_modules():
        found.setdefault(name, set()).add(path)
    warnings = []
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        libraries = {name: set(paths) for name, paths in found.items()}
        for name, path in engine.engine.libraries.items():
            libraries.setdefault(name, set()).add(path)
        for name, paths in sorted(libraries.items()):
            if len(paths) > 1 and paths != INTENDED_OVERRIDES.get(name):
                warnings.append(
                    Warning(
                        f"{name!r} is used for multiple template tag modules: "
                        + ", ".join(repr(p) for p in sorted(paths)),
                        obj=engine,
                        id="trygg.W003",
                    )
                )
    return warnings
