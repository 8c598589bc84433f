"""The overview's content, rendered in Python.

The page is the portal's busiest, and its rows are its cost: through Django's template language
each ``{{ row.attribute }}`` is a variable lookup that tries a subscript first (and raises), a
filter call, a localisation and an escape, each ``{% if %}`` and ``{% for %}`` a node with its
context pushes; some 260 nodes for a customer with accounts, premiums, claims and letters. Here
the same HTML is put together from strings: every value shown escaped as the template language
escapes it (``html.escape``, the quotes included), every ``{% translate %}`` text the same
message, looked up once per language (``trygg.kernel.translated``), every
``{% blocktranslate %}`` the same message with its escaped values put in. The layout around it
stays the template ``web/overview.html``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from html import escape

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from trygg.identity.models import LoginChannel, LoginMethod
from trygg.identity.selectors import LoginLine
from trygg.kernel.numbertext import money_text
from trygg.kernel.templatetags.timestamps import timestamp
from trygg.kernel.translated import label, per_language
from trygg.overview.selectors import Engagement, LetterLine, Overview

_CHECK_LOGINS = gettext_noop(
    "Check that you recognise every log-in. If you do not, call customer service at once."
)
# The constant texts of the page (``{% translate "literal" %}`` marks a literal's translation safe:
# it is shown as the catalogue has it); marked for ``makemessages``, looked up when shown.
_TEXTS = (
    gettext_noop("Customer number"),
    gettext_noop("Your security token has been sent to you."),
    gettext_noop("Activate it here"),
    gettext_noop("Your money"),
    gettext_noop("Private"),
    gettext_noop("Sole trader's firm"),
    gettext_noop("Accounts"),
    gettext_noop("Total"),
    gettext_noop("No accounts with us."),
    gettext_noop("Next payments and debits"),
    gettext_noop("Premiums and autogiro"),
    gettext_noop("Nothing due."),
    gettext_noop("Payees"),
    gettext_noop("Insurance"),
    gettext_noop("Your policies"),
    gettext_noop("Policy"),
    gettext_noop("Insured"),
    gettext_noop("Level"),
    gettext_noop("Disability base amount"),
    gettext_noop("State"),
    gettext_noop("You have no insurance with us yet."),
    gettext_noop("Calculate a price for accident insurance"),
    gettext_noop("Insurance, applications and claims"),
    gettext_noop("Claims in progress"),
    gettext_noop("No claims in progress."),
    gettext_noop("Claims"),
    gettext_noop("Letters"),
    gettext_noop("We have sent you no letters yet."),
    gettext_noop("All letters"),
    gettext_noop("sent by post only"),
    gettext_noop("Your contact details"),
    gettext_noop("Address"),
    gettext_noop("No address registered"),
    gettext_noop("E-mail"),
    gettext_noop("Mobile phone"),
    gettext_noop("Home phone"),
    gettext_noop("Change contact details"),
    gettext_noop("Recent log-ins"),
    _CHECK_LOGINS,
    gettext_noop("Time"),
    gettext_noop("Method"),
    gettext_noop("Channel"),
    gettext_noop("Result"),
    gettext_noop("Logged in"),
    gettext_noop("Failed"),
    gettext_noop("No log-ins yet."),
)
# The ``{% blocktranslate %}`` messages, their values put in after the lookup.
_MESSAGES = (
    gettext_noop("Welcome, %(name)s"),
    gettext_noop("Premium, insurance %(number)s"),
    gettext_noop("Claim %(number)s on insurance %(policy)s"),
    gettext_noop("Reported %(day)s"),
)
# The links without arguments.
_URLS = (
    "web:token_activate",
    "web:autogiro",
    "web:bank",
    "web:payees",
    "web:insurance_quote",
    "web:insurance",
    "web:claims",
    "web:letters",
    "web:profile",
)
# Where a letter of each kind is opened (by its key).
_LETTER_URLS = {
    "notice": "web:billing_notice",
    "policy": "web:policy_letter",
    "claim": "web:claim_letter",
    "report": "web:protection_report",
}


def _texts() -> dict[str, str]:
    return {msgid: gettext(msgid) for msgid in (*_TEXTS, *_MESSAGES)}


def _login_labels() -> tuple[dict[str, str], dict[str, str]]:
    """The log-in methods' and channels' labels, escaped (``label`` of each choice)."""
    return (
        {m.value: escape(label(m)) for m in LoginMethod},
        {c.value: escape(label(c)) for c in LoginChannel},
    )


def _urls() -> dict[str, str]:
    return {name: escape(reverse(name)) for name in _URLS}


def _day(value: dt.date | None) -> str:
    """``|date:"Y-m-d"`` of a date."""
    return "" if value is None else f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _money(value: Decimal) -> str:
    return escape(money_text(value))


def overview_content(overview: Overview) -> SafeString:
    """The content block of the overview page for ``overview``."""
    t = per_language(("overview_page", "texts"), _texts)
    u = per_language(("overview_page", "urls", get_urlconf(), get_script_prefix()), _urls)
    out: list[str] = []
    w = out.append
    name = escape(overview.name)
    w(f"\n<h1>{t['Welcome, %(name)s'] % {'name': name}}</h1>\n")
    w(f'<p class="muted">{t["Customer number"]} {escape(overview.customer_number)}</p>\n')
    if overview.token_to_activate:
        w(
            f'<p class="alert info" role="status">{t["Your security token has been sent to you."]}'
            f' <a href="{u["web:token_activate"]}">{t["Activate it here"]}</a></p>'
        )
    w(f'\n<h2 id="money">{t["Your money"]}</h2>\n<div class="grid">\n')
    for e in overview.engagements:
        _money_card(w, t, u, e)
    w(
        f'\n</div>\n<p><a class="button secondary" href="{u["web:bank"]}">{t["Accounts"]}</a>'
        f' <a class="button secondary" href="{u["web:payees"]}">{t["Payees"]}</a></p>\n'
    )
    _policies(w, t, u, overview)
    _claims(w, t, u, overview)
    _letters(w, t, u, overview.letters)
    w(f'<h2>{t["Your contact details"]}</h2>\n<div class="grid">\n')
    for e in overview.engagements:
        _contact_card(w, t, u, e)
    w("\n</div>\n")
    _logins(w, t, overview.logins)
    return SafeString("".join(out))


Write = Callable[[str], object]


def _relation(t: dict[str, str], e: Engagement) -> str:
    return t["Private"] if e.relation == "private" else t["Sole trader's firm"]


def _money_card(w: Write, t: dict[str, str], u: dict[str, str], e: Engagement) -> None:
    name = escape(e.name)
    w(
        f'\n  <section class="card" aria-labelledby="money-{e.party_id}">\n'
        f'    <h3 id="money-{e.party_id}">{name}</h3>\n'
        f'    <p class="tag">{_relation(t, e)}</p>\n'
        f"    <h4>{t['Accounts']}</h4>\n    "
    )
    if e.accounts:
        w('\n    <ul class="lines">\n      ')
        for a in e.accounts:
            href = escape(reverse("web:account", args=[a.pk]))
            w(
                f'<li><span><a href="{href}">{escape(a.name)}</a>'
                f' <span class="muted nowrap">{escape(a.number)}</span></span>'
                f'<span class="amount nowrap">{_money(a.balance)}</span></li>'
            )
        w("\n      ")
        if len(e.accounts) > 1:
            w(
                f"<li><strong>{t['Total']}</strong>"
                f'<strong class="amount nowrap">{_money(e.total_balance)}</strong></li>'
            )
        w("\n    </ul>\n    ")
    else:
        w(f'<p class="muted">{t["No accounts with us."]}</p>')
    w(f"\n    <h4>{t['Next payments and debits']}</h4>\n    ")
    if e.debits:
        w('\n    <ul class="lines">\n      ')
        premium = t["Premium, insurance %(number)s"]
        for d in e.debits:
            ocr = f", OCR {escape(d.ocr)}" if d.ocr else ""
            w(
                f'<li><span><span class="nowrap">{_day(d.due_date)}</span>'
                f" {premium % {'number': escape(d.policy_number)}}<br>"
                f'<small class="muted">{escape(d.method_label)}{ocr} · {escape(d.state_label)}'
                f'</small></span><span class="amount nowrap">{_money(d.amount)}</span></li>'
            )
        w("\n    </ul>\n    ")
        if e.relation == "private":
            w(f'<p><a href="{u["web:autogiro"]}">{t["Premiums and autogiro"]}</a></p>')
        w("\n    ")
    else:
        w(f'<p class="muted">{t["Nothing due."]}</p>')
    w("\n  </section>\n")


def _policies(w: Write, t: dict[str, str], u: dict[str, str], overview: Overview) -> None:
    w(f'<section aria-labelledby="policies">\n  <h2 id="policies">{t["Insurance"]}</h2>\n  ')
    if overview.policies:
        w(
            '\n  <div class="table-wrap"><table>\n'
            f'    <caption class="visually-hidden">{t["Your policies"]}</caption>\n'
            f'    <thead><tr><th scope="col">{t["Policy"]}</th><th scope="col">{t["Insured"]}'
            f'</th><th scope="col">{t["Level"]}</th><th scope="col">'
            f'{t["Disability base amount"]}</th><th scope="col">{t["State"]}</th></tr></thead>\n'
            "    <tbody>"
        )
        for p in overview.policies:
            base = _money(p.base_amount) if p.base_amount else ""
            w(
                f"<tr><td>{escape(p.number)}</td><td>{escape(p.insured)}</td>"
                f"<td>{p.level} PBB</td><td>{base}</td><td>{escape(p.state_label)}</td></tr>"
            )
        w("</tbody>\n  </table></div>\n  ")
    else:
        w(
            f"<p>{t['You have no insurance with us yet.']}"
            f' <a href="{u["web:insurance_quote"]}">'
            f"{t['Calculate a price for accident insurance']}</a></p>"
        )
    w(
        f'\n  <p><a href="{u["web:insurance"]}">{t["Insurance, applications and claims"]}</a></p>'
        "\n</section>\n"
    )


def _claims(w: Write, t: dict[str, str], u: dict[str, str], overview: Overview) -> None:
    w(f'<section aria-labelledby="claims">\n  <h2 id="claims">{t["Claims in progress"]}</h2>\n  ')
    if overview.claims:
        w('\n  <ul class="lines">\n    ')
        claim = t["Claim %(number)s on insurance %(policy)s"]
        reported = t["Reported %(day)s"]
        for c in overview.claims:
            number = claim % {"number": escape(c.number), "policy": escape(c.policy_number)}
            day = reported % {"day": _day(c.reported_on)}
            w(
                f'<li><span>{number}<br><small class="muted">{day}</small></span>'
                f'<span class="amount">{escape(c.state_label)}</span></li>'
            )
        w("\n  </ul>\n  ")
    else:
        w(f'<p class="muted">{t["No claims in progress."]}</p>')
    w(f'\n  <p><a href="{u["web:claims"]}">{t["Claims"]}</a></p>\n</section>\n')


def _letters(w: Write, t: dict[str, str], u: dict[str, str], letters: list[LetterLine]) -> None:
    w(f'<section aria-labelledby="letters">\n  <h2 id="letters">{t["Letters"]}</h2>\n  ')
    if letters:
        w('\n  <ul class="lines">\n    ')
        for letter in letters:
            title = escape(letter.title)
            view = _LETTER_URLS.get(letter.kind)
            if view:
                href = escape(reverse(view, args=[letter.key]))
                link = f'<a href="{href}">{title}</a> <span class="muted">(PDF)</span>'
            else:
                link = f'{title} <span class="muted">({t["sent by post only"]})</span>'
            w(f'<li><span class="nowrap">{_day(letter.sent_on)}</span> {link}\n</li>')
        w("\n  </ul>\n  ")
    else:
        w(f'<p class="muted">{t["We have sent you no letters yet."]}</p>')
    w(f'\n  <p><a href="{u["web:letters"]}">{t["All letters"]}</a></p>\n</section>\n')


def _contact_card(w: Write, t: dict[str, str], u: dict[str, str], e: Engagement) -> None:
    c = e.contact
    if c.street:
        care_of = f"c/o {escape(c.care_of)}<br>" if c.care_of else ""
        address = f"{care_of}{escape(c.street)}<br>{escape(c.postal_code)} {escape(c.city)}"
    else:
        address = t["No address registered"]
    if e.relation == "private":
        change = u["web:profile"]
    else:
        change = escape(reverse("web:profile_party", args=[e.party_id]))
    w(
        f'\n  <section class="card" aria-labelledby="eng-{e.party_id}">\n'
        f'    <h3 id="eng-{e.party_id}">{escape(e.name)}</h3>\n'
        f'    <p class="tag">{_relation(t, e)} · {t["Customer number"]}'
        f" {escape(e.customer_number)}</p>\n"
        '    <dl class="details">\n'
        f"      <dt>{t['Address']}</dt>\n"
        f"      <dd>{address}</dd>\n"
        f"      <dt>{t['E-mail']}</dt><dd>{escape(c.email or '–')}</dd>\n"
        f"      <dt>{t['Mobile phone']}</dt><dd>{escape(c.mobile or '–')}</dd>\n"
        f"      <dt>{t['Home phone']}</dt><dd>{escape(c.home_phone or '–')}</dd>\n"
        "    </dl>\n"
        f'    <a class="button secondary" href="{change}">{t["Change contact details"]}</a>\n'
        "  </section>\n"
    )


def _logins(w: Write, t: dict[str, str], logins: list[LoginLine]) -> None:
    check = t[_CHECK_LOGINS]
    w(
        '<section aria-labelledby="logins">\n'
        f'  <h2 id="logins">{t["Recent log-ins"]}</h2>\n'
        f'  <p class="muted">{check}</p>\n'
        '  <div class="table-wrap"><table>\n'
        f'    <caption class="visually-hidden">{t["Recent log-ins"]}</caption>\n'
        f'    <thead><tr><th scope="col">{t["Time"]}</th><th scope="col">{t["Method"]}</th>'
        f'<th scope="col">{t["Channel"]}</th><th scope="col">{t["Result"]}</th></tr></thead>\n'
        "    <tbody>\n    "
    )
    logged_in, failed = t["Logged in"], f'<strong class="bad">{t["Failed"]}</strong>'
    methods, channels = per_language(("overview_page", "logins"), _login_labels)
    for occurred_at, method, channel, success in logins:
        w(
            f"\n      <tr><td>{escape(timestamp(occurred_at))}</td>"
            f"<td>{methods[method]}</td><td>{channels[channel]}</td>"
            f"<td>{logged_in if success else failed}</td></tr>\n    "
        )
    if not logins:
        w(f'<tr><td colspan="4">{t["No log-ins yet."]}</td></tr>')
    w("\n    </tbody>\n  </table></div>\n</section>\n")
