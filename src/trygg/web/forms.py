"""Portal forms: they render labels and errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.kernel.forms import apply_problems

__all__ = ["apply_problems"]


class LoginForm(forms.Form):
    id_number = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        required=False,
        help_text=_("Sweden: YYYYMMDD-NNNN. Norway: 11 digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "numeric", "autofocus": True}
        ),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=6,
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "inputmode": "numeric"}
        ),
    )


class PinChangeForm(forms.Form):
    current_pin = forms.CharField(
        label=_("Current PIN"),
        max_length=6,
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "inputmode": "numeric"}
        ),
    )
    new_pin = forms.CharField(
        label=_("New PIN"),
        max_length=6,
        required=False,
        strip=False,
        help_text=_("4 to 6 digits; not 1234, 1111, 1212 or your birth date."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )
    new_pin_repeat = forms.CharField(
        label=_("New PIN again"),
        max_length=6,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
    )


class ContactForm(forms.Form):
    """Limits and formats are checked by the service, which names every broken field at once;
    the browser gets ``maxlength`` hints only."""

    care_of = forms.CharField(label=_("c/o"), required=False)
    street = forms.CharField(
        label=_("Street address"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    email = forms.CharField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    mobile = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    home_phone = forms.CharField(
        label=_("Home phone"), required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )


class TokenStartForm(forms.Form):
    id_number = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        required=False,
        help_text=_("Sweden: YYYYMMDD-NNNN. Norway: 11 digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Response from the security token"),
        max_length=8,
        required=False,
        help_text=_(
            "Switch on the token, enter the challenge above, and type the digits it shows."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
