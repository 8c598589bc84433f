"""``{% url %}`` as a builtin in place of Django's: see ``constant_tags``."""

from __future__ import annotations

from django import template

from trygg.kernel.templatetags.constant_tags import url

register = template.Library()
register.tag("url", url)
