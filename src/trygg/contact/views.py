"""Portal pages of the contact app: the customer's objection to direct marketing on My pages, and
the signed one-click link of a survey (a GET shows what the link does; the objection is a POST)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from trygg.contact import links, selectors, services
from trygg.contact.models import ObjectionSource, Survey, SurveyState
from trygg.identity.actors import audit_context
from trygg.identity.requests import PortalRequest
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel

View = Callable[..., HttpResponseBase]


def _customer_only(view: View) -> View:
    """A logged-in customer only; others go to the log-in and come back."""

    @wraps(view)
    def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "customer_session", None) is None or request.customer is None:
            return redirect(f"{reverse('web:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_customer_only
def objection_view(request: PortalRequest) -> HttpResponse:
    me = request.customer
    assert me is not None
    ctx = audit_context(request, AuditChannel.WEB)
    if request.method == "POST":
        services.objection_record(ctx=ctx, source=ObjectionSource.MY_PAGES, party=me)
        messages.success(
            request, _("Your objection is recorded: we will not send you any more surveys.")
        )
        return redirect("contact:objection")
    objection = selectors.objection_of(ctx=ctx, party=me)
    return render(request, "contact/objection.html", {"objection": objection})


@csrf_exempt  # the signed link is the key; a mail program's one-click POST has no form
@require_http_methods(["GET", "POST"])
def objection_link_view(request: PortalRequest) -> HttpResponse:
    """The link in a survey: a GET shows what it does, the POST records the objection (from
    the page's button, or from the reader's mail program in one click, RFC 8058)."""
    token = request.POST.get("t", "") if request.method == "POST" else ""
    token = token or request.GET.get("t", "")
    try:
        survey = Survey.objects.filter(response_id=links.objection_target(token)).first()
    except DomainError as error:
        return render(request, "contact/objection_link.html", {"error": error.message}, status=400)
    if survey is None:
        message = _("This survey is no longer kept. You can object on My pages or by calling us.")
        return render(request, "contact/objection_link.html", {"error": message}, status=400)
    if request.method == "POST":
        services.objection_record(
            ctx=audit_context(request, AuditChannel.WEB),
            source=ObjectionSource.LINK,
            party=survey.party,
            contact_detail=survey.contact_detail,
        )
        return render(request, "contact/objection_link.html", {"done": True})
    return render(request, "contact/objection_link.html", {"token": token})


class AnswerForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with how we handled your matter?"),
        choices=[
            (5, gettext_lazy("5 Very satisfied")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, gettext_lazy("1 Very dissatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
    )
    resolved = forms.TypedChoiceField(
        label=gettext_lazy("Was your matter resolved?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    nps = forms.TypedChoiceField(
        label=gettext_lazy("How likely are you to recommend us to a friend? (0-10)"),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    free_text = forms.CharField(
        label=gettext_lazy("Anything else you want to tell us?"),
        help_text=gettext_lazy("Comments beyond the questions are deleted after 12 months."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_http_methods(["GET", "POST"])
def survey_view(request: PortalRequest) -> HttpResponse:
    """Answer a survey from the link in the message (no log-in: the signed link is the key)."""
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    try:
        response_id = links.answer_target(token)
    except DomainError as error:
        return render(request, "contact/survey.html", {"error": error.message}, status=400)
    state = Survey.objects.filter(response_id=response_id).values_list("state", flat=True).first()
    if state != SurveyState.SENT:
        # Said at once, before anything is filled in.
        if state is None:
            message = _("This survey is no longer kept. Thank you anyway.")
        elif state == SurveyState.ANSWERED:
            message = _("This survey is already answered. Thank you!")
        else:
            message = _("This survey cannot be answered.")
        return render(request, "contact/survey.html", {"error": message})
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                ctx=audit_context(request, AuditChannel.WEB),
                response_id=response_id,
                nps=form.cleaned_data["nps"],
                satisfaction=form.cleaned_data["satisfaction"],
                resolved=form.cleaned_data["resolved"],
                free_text=form.cleaned_data["free_text"],
            )
        except DomainError as error:
            if error.field == "state" or error.status == 404:
                return render(request, "contact/survey.html", {"error": error.message})
            apply_problems(form, error)
        else:
            return render(request, "contact/survey.html", {"done": True})
    return render(request, "contact/survey.html", {"form": form, "token": token})
