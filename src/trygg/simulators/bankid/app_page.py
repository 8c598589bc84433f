"""The simulator's "BankID app": one HTML page, plain forms, no JavaScript.

``GET /app`` lists the pending orders. For each: what kind it is, the text the relying party
asked to show (``userVisibleData``, which for a signing order is the text being signed), a
choice of test person (or the person the order is bound to) with an "approve" button, and a
"cancel" button (the user cancels in the app: ``userCancel``). The forms post to
``/app/orders/<orderRef>/approve`` and ``.../cancel`` and are answered with a redirect back.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final
from urllib.parse import quote

from trygg.simulators.bankid.persons import PERSONS, find_person
from trygg.simulators.bankid.store import JsonObject

__all__ = ["render_app_page"]

_NOTICES: Final[dict[str, str]] = {
    "approved": "Godkänt. / Approved.",
    "cancelled": "Avbrutet i appen. / Cancelled in the app.",
}

_STYLE: Final = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { font-size: 1.5rem; }
.order { border: 1px solid #c8c8c8; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.order h2 { font-size: 1.1rem; margin-top: 0; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: .75rem; border-radius: 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
form { display: inline-block; margin: .5rem 1rem .5rem 0; vertical-align: top; }
label { display: block; margin: .25rem 0; }
.notice { background: #e7f5e7; padding: .5rem; border-radius: 4px; }
.error { background: #fbe4e4; padding: .5rem; border-radius: 4px; }
"""


def _kind(order: JsonObject) -> str:
    kind = "Underskrift / Signing" if order.get("type") == "sign" else "Legitimering / Log-in"
    if order.get("phone"):
        kind += " (telefon / phone)"
    return kind


def _person_label(personal_number: str) -> str:
    person = find_person(personal_number)
    return f"{person.name} ({personal_number})" if person else personal_number


def _approve_form(order_ref: str, bound: str | None) -> str:
    action = f"/app/orders/{quote(order_ref, safe='')}/approve"
    if bound is not None:
        chooser = (
            f'<input type="hidden" name="personalNumber" value="{escape(bound)}">'
            f"<p>Person: {escape(_person_label(bound))}</p>"
        )
    else:
        options = "".join(
            f'<option value="{escape(p.personal_number)}">{escape(p.name)} '
            f"({escape(p.personal_number)})</option>"
            for p in PERSONS
        )
        chooser = (
            f'<label>Person <select name="personalNumber">{options}</select></label>'
            "<label>eller annat personnummer / or another personal number "
            '<input name="otherPersonalNumber" inputmode="numeric" '
            'placeholder="ÅÅÅÅMMDDNNNN" size="14"></label>'
            '<label>Förnamn / given name <input name="givenName" size="14"></label>'
            '<label>Efternamn / surname <input name="surname" size="14"></label>'
        )
    return (
        f'<form method="post" action="{action}">{chooser}'
        '<button type="submit">Godkänn / Approve</button></form>'
    )


def _cancel_form(order_ref: str) -> str:
    action = f"/app/orders/{quote(order_ref, safe='')}/cancel"
    return (
        f'<form method="post" action="{action}">'
        '<button type="submit">Avbryt / Cancel</button></form>'
    )


def _order_section(order: JsonObject) -> str:
    order_ref = str(order["orderRef"])
    bound = order.get("personalNumber")
    rows = [("Order", order_ref), ("Status", f"{order.get('status')} / {order.get('hintCode')}")]
    if order.get("endUserIp"):
        rows.append(("endUserIp", str(order["endUserIp"])))
    if order.get("callInitiator"):
        rows.append(("callInitiator", str(order["callInitiator"])))
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    text = order.get("userVisibleData")
    text_html = ""
    if isinstance(text, str):
        heading = (
            "Text att skriva under / Text to sign"
            if order.get("type") == "sign"
            else "Meddelande / Message"
        )
        text_html = f'<h3>{heading}</h3><pre class="user-visible-data">{escape(text)}</pre>'
    return (
        f'<section class="order" id="order-{escape(order_ref)}">'
        f"<h2>{escape(_kind(order))}</h2><dl>{details}</dl>{text_html}"
        f"{_approve_form(order_ref, bound if isinstance(bound, str) else None)}"
        f"{_cancel_form(order_ref)}</section>"
    )


def render_app_page(
    orders: Sequence[JsonObject], *, notice: str | None = None, error: str | None = None
) -> str:
    """The whole page for ``orders`` (the pending orders, oldest first)."""
    parts = [
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>BankID-simulator</title><style>{_STYLE}</style></head><body>",
        "<h1>BankID-appen (simulator)</h1>",
        "<p>En låtsas-BankID för demo och test; inget här är ett riktigt BankID. "
        "/ A pretend BankID app for the demo and tests; nothing here is a real BankID.</p>",
        '<p><a href="/app">Uppdatera / Refresh</a></p>',
    ]
    if notice in _NOTICES:
        parts.append(f'<p class="notice">{escape(_NOTICES[notice])}</p>')
    if error:
        parts.append(f'<p class="error">{escape(error)}</p>')
    if orders:
        parts.extend(_order_section(order) for order in orders)
    else:
        parts.append("<p>Inga väntande beställningar. / No pending orders.</p>")
    parts.append("</body></html>")
    return "".join(parts)
