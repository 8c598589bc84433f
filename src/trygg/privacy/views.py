"""Privacy's pages: the privacy notice (public), and on My pages the person's requests about
their data (a copy, a correction, erasure) and the download of an answered copy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.identity.actors import audit_context
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.sessions import StepUpRequired, account_information_check
from trygg.kernel import clock
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel
from trygg.privacy import export, selectors
from trygg.privacy.models import RequestKind, RequestState
from trygg.privacy.services import copy_fee, copy_terms, subject_request_ask

View = Callable[..., HttpResponseBase]


@require_GET
def notice_view(request: HttpRequest) -> HttpResponse:
    records = export.records(get_language() or "sv")
    return render(request, "privacy/notice.html", {"records": records})


def _customer(*, account_information: bool = False) -> Callable[[View], View]:
    """A logged-in customer (with a two-factor log-in within 180 days where the page shows
    account data, RTS Art. 10, asked for in place), as the portal's other pages."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            session = request.customer_session
            if session is None or request.customer is None:
                return redirect(f"{reverse('web:login')}?next={request.path}")
            if session.must_change_pin:
                return redirect("web:pin_change")
            if account_information:
                try:
                    account_information_check(session, Function.OVERVIEW)
                except StepUpRequired:
                    return redirect(f"{reverse('web:step_up')}?next={request.path}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you ask for?"), choices=RequestKind.choices
    )
    details = forms.CharField(
        label=gettext_lazy("Details"),
        help_text=gettext_lazy("For a correction: which data is wrong and what it should be."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
@_customer()
def my_data_view(request: PortalRequest) -> HttpResponse:
    """The person's requests with their deadlines and answers; a new request."""
    assert request.customer is not None and request.customer_session is not None
    ctx = audit_context(request, AuditChannel.WEB)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject_request_ask(
                ctx=ctx,
                party=request.customer,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                login_method=request.customer_session.method,
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(
                request, _("Your request is registered. We answer it within one month.")
            )
            return redirect("web:privacy_requests")
    found = selectors.requests_of(ctx=ctx, party=request.customer)
    rows = [
        {
            "request": r,
            "token": selectors.download_token(r)
            if r.kind == RequestKind.ACCESS and r.state == RequestState.COMPLETED and r.export
            else "",
            "kept": _kept_explained(r.outcome.get("kept", {})),
        }
        for r in found
    ]
    free, _fee, again = copy_terms(request.customer.pk, clock.today())
    copy = {"free": free, "fee": copy_fee(), "again": again}
    status = 422 if request.method == "POST" else 200
    return render(
        request, "privacy/my_data.html", {"rows": rows, "form": form, "copy": copy}, status=status
    )


def _kept_explained(kept: dict[str, dict[str, int]]) -> list[str]:
    from trygg.privacy.explain import kept_reason

    return [str(kept_reason(reason)) for reason in sorted(kept)]


@require_GET
@_customer(account_information=True)
def my_data_download_view(request: PortalRequest, token: str, fmt: str) -> HttpResponse:
    """An answered copy as JSON or PDF, for its own person, while its link is valid."""
    assert request.customer is not None
    if fmt not in ("json", "pdf"):
        return render(request, "web/not_found.html", status=404)
    try:
        document = selectors.export_for_download(
            ctx=audit_context(request, AuditChannel.WEB), party=request.customer, token=token
        )
    except DomainError as error:
        return render(
            request,
            "privacy/download_refused.html",
            {"message": error.message},
            status=error.status if error.status == 404 else 410,
        )
    if fmt == "pdf":
        response = HttpResponse(export.person_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(
            export.person_json(document), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="my-personal-data.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
