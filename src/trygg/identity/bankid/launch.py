"""Starting the BankID app on the user's own device (the "same device" flow).

The relying party starts the app with the order's ``autoStartToken``:

* ``bankid:///?autostarttoken=<token>&redirect=null`` for a web page (the default here), or
* ``https://app.bankid.com/?autostarttoken=<token>&redirect=null`` as a universal link, which
  mobile browsers and apps open more reliably than the custom scheme.

``redirect`` tells the app where to go when the order is done. For a web page BankID recommends
``redirect=null``: the app then returns to the browser it was started from (or the user switches
back themselves), and the page, which has been polling ``collect``, continues. An app that needs
a return address passes it URL-encoded instead, or uses ``returnUrl`` in the order itself.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

__all__ = ["launch_url"]

_CUSTOM_SCHEME: Final = "bankid:///"
_UNIVERSAL_LINK: Final = "https://app.bankid.com/"


def launch_url(
    auto_start_token: str, *, redirect: str = "null", universal_link: bool = False
) -> str:
    """The URL that starts the BankID app for the order with ``auto_start_token``."""
    if not auto_start_token:
        raise ValueError("auto_start_token must not be empty.")
    base = _UNIVERSAL_LINK if universal_link else _CUSTOM_SCHEME
    token = quote(auto_start_token, safe="")
    return f"{base}?autostarttoken={token}&redirect={quote(redirect, safe='')}"
