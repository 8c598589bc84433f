"""Builtins of trygg's template engine (see ``constant_tags``): ``{% url %}`` in place of
Django's, and ``{% per_language name [value ...] %}...{% end_per_language %}``, a fragment
rendered once per language, script prefix and the values given (the portal's menu, per page)
and kept in the process. Unlike ``{% cache %}`` it neither expires nor goes through a cache
backend: what it holds cannot change while the process runs."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

from trygg.kernel.templatetags.constant_tags import url, where_rendered
from trygg.kernel.translated import per_language

register = template.Library()
register.tag("url", url)


class PerLanguageNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, values: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context: Context) -> str:
        values = (value.resolve(context) for value in self.values)
        key = ("fragment", self.name, *values, *where_rendered(context))
        return per_language(key, lambda: self.nodelist.render(context))


@register.tag("per_language")
def per_language_tag(parser: Parser, token: Token) -> PerLanguageNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    return PerLanguageNode(nodelist, bits[1], [parser.compile_filter(b) for b in bits[2:]])
