"""`make run`'s demo shows a reception desk with visitors inside, a survey sent with its link
and recorded interactions, one held by a police report."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from trygg.contact import selectors
from trygg.contact.models import Interaction, Site, Survey
from trygg.kernel.audit import SYSTEM
from trygg.privacy.models import LegalHold


@pytest.mark.django_db
def test_the_demo_has_a_reception_a_survey_and_recordings(capsys: Any) -> None:
    call_command("demo")
    call_command("demo")  # twice: nothing twice
    capsys.readouterr()
    site = Site.objects.get(code="telegrafgatan")
    assert len(selectors.evacuation_list(ctx=SYSTEM, site_id=site.pk)) == 2
    assert Survey.objects.get().state == "sent"
    assert sorted(Interaction.objects.values_list("state", flat=True)) == ["reported", "stored"]
    assert LegalHold.objects.filter(model="contact.Interaction", state="active").count() == 1
