"""Django's ``{% translate %}`` and ``{% url %}`` tags, keeping what a constant tag renders.

``{% translate "Overview" %}`` renders the same text for as long as the language and the
message catalogues stay the same, and ``{% url "web:overview" %}`` the same path for as long as
the URL configuration and the script prefix do; yet Django's tags look the text up in the
catalogue (through lazy strings and the active language's thread-local) and reverse the URL on
every rendering. An overview page has some forty such tags: about a sixth of its rendering.

Here a tag whose message or view name is a literal, without filters, arguments or a message
context, renders once per language (and URL configuration, script prefix and application
namespace) and then answers from memory (``trygg.kernel.translated``, which forgets it when a
setting changes or a message catalogue is recompiled); any other tag is Django's own.

The engine loads this library in place of Django's ``i18n`` (so that ``{% load i18n %}`` in a
template, the admin's included, gives these tags) and ``constant_builtins`` as a builtin after
Django's own; ``makemessages`` finds the messages as before, since the tags keep their names and
syntax.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import FilterExpression, Parser, Token, Variable
from django.template.context import Context
from django.templatetags import i18n
from django.urls import get_script_prefix, get_urlconf

from trygg.kernel.translated import per_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


def where_rendered(context: Context) -> tuple[Any, ...]:
    """What a kept rendering with links depends on besides the language: the URL configuration,
    the script prefix and whether the context escapes."""
    return (get_urlconf(), get_script_prefix(), context.autoescape)


def _render_kept(node: Any, key: tuple[Any, ...], context: Context, render: Any) -> str:
    """What ``render`` gave for ``key`` in this language before, or its answer now; an ``as``
    variable is set from it as Django's tag would."""

    def rendered() -> str:
        if not node.asvar:
            return str(render(context))
        render(context)
        return str(context[node.asvar])

    value = per_language(key, rendered)
    if node.asvar:
        context[node.asvar] = value
        return ""
    return value


class ConstantTranslateNode(i18n.TranslateNode):
    """``{% translate "literal" [as name] %}``: one lookup per language."""

    def render(self, context: Context) -> str:
        literal = self.filter_expression.var.literal
        key = ("t", literal, context.autoescape)
        return _render_kept(self, key, context, super().render)


class ConstantURLNode(defaulttags.URLNode):
    """``{% url "name" [as name] %}`` without arguments: one reversal per URL configuration,
    script prefix, language and application namespace."""

    def render(self, context: Context) -> str:
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = ("u", self.view_name.var, current_app, *where_rendered(context))
        return _render_kept(self, key, context, super().render)


def _literal(expression: FilterExpression) -> bool:
    return not expression.filters and not expression.is_var


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> template.Node:
    node = i18n.do_translate(parser, token)
    var = node.filter_expression.var
    if (
        isinstance(var, Variable)
        and var.literal is not None
        and not node.filter_expression.filters
        and not node.noop
        and node.message_context is None
    ):
        return ConstantTranslateNode(
            node.filter_expression, node.noop, node.asvar, node.message_context
        )
    return node


def url(parser: Parser, token: Token) -> template.Node:
    node = defaulttags.url(parser, token)
    if not node.args and not node.kwargs and _literal(node.view_name):
        return ConstantURLNode(node.view_name, node.args, node.kwargs, node.asvar)
    return node
