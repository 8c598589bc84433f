"""Texts worked out once per language: constant ``{% translate %}`` and ``{% url %}`` tags
(once per language, prefix and URL configuration, rendering what Django's tags would) and
choice labels."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from trygg.kernel import translated
from trygg.kernel.templatetags.constant_tags import ConstantTranslateNode, ConstantURLNode


def render(source: str, language: str = "sv", **context: object) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


def djangos(source: str, language: str = "sv", **context: object) -> str:
    """What Django's own tags render (an engine without trygg's libraries)."""
    with translation.override(language):
        engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
        return engine.from_string(source).render(Context(context))


def test_a_literal_message_is_translated_per_language_and_kept() -> None:
    source = "{% load i18n %}{% translate 'Overview' %}"
    assert render(source, "sv") == "Översikt"
    assert render(source, "nb") == "Oversikt"
    assert render(source, "en") == "Overview"
    assert render(source, "sv") == "Översikt"  # from memory, still the language's own
    assert ("t", "Overview", True, "sv") in translated._kept


@pytest.mark.parametrize(
    "source",
    [
        "{% load i18n %}{% translate 'Life & pension' %}",
        "{% load i18n %}{% autoescape off %}{% translate 'Life & pension' %}{% endautoescape %}",
        "{% load i18n %}{% translate word %}",
        "{% load i18n %}{% translate word as w %}{{ w }}",
        "{% load i18n %}{% translate 'Overview'|upper %}",
        '{% load i18n %}{% translate "Overview" context "menu" %}',
        '{% load i18n %}{% translate "Overview" noop %}',
        '{% load i18n %}{% translate "100%% sure" %}',
        "{% url 'web:overview' %}|{% url 'web:profile_party' 7 %}|{% url name %}",
        "{% autoescape off %}{% url 'web:overview' as u %}{{ u }}{% endautoescape %}",
    ],
)
@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_every_tag_renders_what_djangos_own_renders_first_time_and_from_memory(
    source: str, language: str
) -> None:
    context = {"word": "Life & pension", "name": "web:login"}
    expected = djangos(source, language, **context)
    assert render(source, language, **context) == expected
    assert render(source, language, **context) == expected


def test_as_sets_the_variable_first_time_and_from_memory() -> None:
    source = "{% load i18n %}{% translate 'Overview' as title %}[{{ title }}]"
    assert render(source) == "[Översikt]"
    assert render(source) == "[Översikt]"
    assert render(source, "en") == "[Overview]"


def test_a_message_with_a_variable_a_filter_or_a_context_is_djangos_own_tag() -> None:
    engine = engines["django"].engine
    for source in [
        "{% load i18n %}{% translate word %}",
        "{% load i18n %}{% translate 'Overview'|upper %}",
        '{% load i18n %}{% translate "Overview" context "menu" %}',
        '{% load i18n %}{% translate "Overview" noop %}',
    ]:
        node = engine.from_string(source).nodelist[-1]
        assert type(node) is TranslateNode, source
    constant = engine.from_string("{% load i18n %}{% translate 'Overview' %}").nodelist[-1]
    assert type(constant) is ConstantTranslateNode


def test_a_url_without_arguments_is_reversed_per_script_prefix() -> None:
    source = "{% url 'web:overview' %}"
    assert type(engines["django"].engine.from_string(source).nodelist[0]) is ConstantURLNode
    try:
        set_script_prefix("/bank/")
        assert render(source) == "/bank/overview/"
        assert render(source) == "/bank/overview/"
        set_script_prefix("/")
        assert render(source) == "/overview/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_a_url_with_arguments_or_a_variable_name_is_djangos_own_tag() -> None:
    engine = engines["django"].engine
    with_args = "{% url 'web:profile_party' party %}"
    assert type(engine.from_string(with_args).nodelist[0]) is not ConstantURLNode
    assert render(with_args, party=5) == render(with_args, party=5) == "/profile/5/"
    assert render(with_args, party=6) == "/profile/6/"
    by_name = "{% url name %}"
    assert type(engine.from_string(by_name).nodelist[0]) is not ConstantURLNode
    assert render(by_name, name="web:overview") == "/overview/"
    assert render(by_name, name="web:login") == "/login/"


def test_an_unknown_url_name_fails_as_in_django_and_as_gives_an_empty_string() -> None:
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        render("{% url 'web:no_such_page' %}")
    assert render("{% url 'web:no_such_page' as u %}[{{ u }}]") == "[]"


def test_a_changed_setting_forgets_what_was_kept() -> None:
    render("{% load i18n %}{% translate 'Overview' %}{% url 'web:overview' %}")
    assert translated._kept
    with override_settings(LANGUAGE_CODE="en"):
        assert not translated._kept


def test_a_choice_label_follows_the_language() -> None:
    from trygg.identity.models import LoginChannel

    for language, expected in [("sv", "Telefonbanken"), ("en", "Telephone bank")] * 2:
        with translation.override(language):
            assert translated.label(LoginChannel.PHONE) == expected


def test_the_replaced_i18n_library_is_the_only_clash_the_checks_let_pass() -> None:
    from django.conf import settings

    from trygg.kernel.checks import template_tag_libraries

    assert template_tag_libraries() == []
    options = settings.TEMPLATES[0]["OPTIONS"]
    clash = {**options["libraries"], "timestamps": "trygg.kernel.templatetags.constant_builtins"}
    with override_settings(
        TEMPLATES=[{**settings.TEMPLATES[0], "OPTIONS": {**options, "libraries": clash}}]
    ):
        (warning,) = template_tag_libraries()
    assert warning.id == "trygg.W003" and "'timestamps'" in warning.msg


def test_what_is_kept_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translated, "MAX_KEPT", 3)
    for n in range(10):
        assert translated.per_language(("n", n), lambda n=n: str(n)) == str(n)
        assert len(translated._kept) <= 3
    assert translated.per_language(("n", 9), lambda: "computed again") == "9"  # still kept


def test_a_per_language_fragment_is_rendered_once_per_language_and_value() -> None:
    source = (
        "{% load i18n %}{% per_language menu page %}"
        "{% translate 'Overview' %} {{ page }} {{ seen }}{% end_per_language %}"
    )
    assert render(source, "sv", page="a", seen=1) == "Översikt a 1"
    assert render(source, "sv", page="a", seen=2) == "Översikt a 1"  # kept
    assert render(source, "en", page="a", seen=3) == "Overview a 3"
    assert render(source, "sv", page="b", seen=4) == "Översikt b 4"


def test_a_per_language_fragment_needs_a_name() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="needs a fragment name"):
        render("{% per_language %}x{% end_per_language %}")


def test_the_portal_menu_marks_the_page_the_customer_is_on(customer: Any) -> None:
    from django.test import Client

    from tests.conftest import portal_login

    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    for path, current in [("/overview/", "/overview/"), ("/profile/", "/profile/")]:
        page = client.get(path).content.decode()
        assert f'<a href="{current}" aria-current="page">' in page
        assert page.count('aria-current="page"') == 1


def test_the_idle_notice_follows_the_idle_limit(customer: Any, settings: Any) -> None:
    from django.test import Client

    from tests.conftest import portal_login

    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    assert "loggas du ut efter 5 minuters inaktivitet" in client.get("/overview/").content.decode()
    settings.TRYGG_SESSION_IDLE_SECONDS = 600
    assert "loggas du ut efter 10 minuters inaktivitet" in client.get("/overview/").content.decode()
