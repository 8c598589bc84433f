"""The intake from the recording platform (its own id per interaction, once) and from the door
card system (a passage's card and direction, once per card, door and time; when a card was
given to a visitor). Passages recorded before keep the card their visit held, taken in; a card
given before is taken as given at the sign-in."""

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    DoorPassage = apps.get_model("contact", "DoorPassage")
    Visit = apps.get_model("contact", "Visit")
    for visit in Visit.objects.exclude(card="").filter(card_issued_at__isnull=True):
        Visit.objects.filter(pk=visit.pk).update(card_issued_at=visit.signed_in_at)
        DoorPassage.objects.filter(visit=visit).update(card=visit.card)
    seen = set()
    for passage in DoorPassage.objects.order_by("id"):
        key = (passage.visit_id, passage.card, passage.door, passage.passed_at)
        if key in seen:
            passage.delete()
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0009_survey_by_call"),
        ("parties", "0003_letter_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="doorpassage",
            name="card",
            field=models.CharField(default="", max_length=40, verbose_name="visitor card"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="doorpassage",
            name="direction",
            field=models.CharField(
                choices=[("in", "In"), ("out", "Out")],
                default="in",
                max_length=3,
                verbose_name="direction",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="interaction",
            name="platform",
            field=models.CharField(
                blank=True,
                help_text="The platform that reported the interaction; empty when staff started it.",
                max_length=100,
                verbose_name="recording platform",
            ),
        ),
        migrations.AddField(
            model_name="interaction",
            name="platform_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="platform's id"),
        ),
        migrations.AddField(
            model_name="visit",
            name="card_issued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="card issued"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="doorpassage",
            index=models.Index(fields=["visit", "passed_at"], name="passage_latest"),
        ),
        migrations.AddConstraint(
            model_name="doorpassage",
            constraint=models.CheckConstraint(
                condition=models.Q(("direction__in", ["in", "out"])), name="passage_direction_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="doorpassage",
            constraint=models.UniqueConstraint(
                fields=("visit", "card", "door", "passed_at"), name="passage_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="interaction",
            constraint=models.UniqueConstraint(
                condition=models.Q(("platform_id", ""), _negated=True),
                fields=("platform", "platform_id"),
                name="interaction_once_per_platform_id",
            ),
        ),
    ]
