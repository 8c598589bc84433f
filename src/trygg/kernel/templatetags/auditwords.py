"""The audit log's codes in words on the back office's pages (see ``kernel.auditwords``)."""

from __future__ import annotations

from typing import Any

from django import template

from trygg.kernel import auditwords

register = template.Library()


@register.filter
def audit_event(event: Any) -> str:
    return auditwords.event_words(event)


@register.filter
def audit_actor(kind: str) -> str:
    return auditwords.actor_words(kind)


@register.filter
def audit_channel(channel: str) -> str:
    return auditwords.channel_words(channel)
