"""``trygg privacy register|retention`` and the daily retention run in the worker."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from trygg.kernel import clock
from trygg.kernel.daily import daily_queue, daily_schedule, next_run_at
from trygg.kernel.datamap import Processing
from trygg.privacy.models import RetentionRun


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


def test_register_as_csv_one_row_per_processing(db: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(command("register", "--format", "csv"))))
    assert {row["code"] for row in rows} == {str(p) for p in Processing}
    support = next(row for row in rows if row["code"] == "it-support")
    assert "India" in support["transfers"] and support["joint_controllers"] == "yes"
    assert support["retention_rules"].startswith("ticket: 3 years")


def test_register_as_json_in_swedish(db: Any) -> None:
    document = json.loads(command("register", "--format", "json", "--language", "sv"))
    assert document["language"] == "sv"
    visitors = next(p for p in document["processings"] if p["code"] == "visitors")
    assert visitors["name"] == "Besöksregistrering"
    assert [c["name"] for c in visitors["controllers"]] == [
        "Länsförsäkringar Stockholm",
        "Länsförsäkringar AB",
    ]


def test_register_as_pdf(db: Any, tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    command("register", "--format", "pdf", "--language", "nb", "--output", str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 3000


def test_a_pdf_needs_a_file(db: Any) -> None:
    with pytest.raises(CommandError, match="--output"):
        command("register", "--format", "pdf")


def test_retention_dry_run_for_a_date(db: Any) -> None:
    out = command("retention", "--dry-run", "--date", "2026-01-05")
    assert "Retention run for 2026-01-05: would delete or anonymise 0 rows." in out
    run = RetentionRun.objects.get()
    assert run.dry_run and run.run_date == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-13-01", "--date: '2026-13-01' is not a date"),
        ("2999-01-01", "--date: A retention run cannot be made for 2999-01-01"),
    ],
)
def test_retention_for_a_bad_or_future_date_is_refused(db: Any, date: str, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        command("retention", "--date", date)
    assert not RetentionRun.objects.exists()


def test_the_next_daily_run_is_at_the_configured_time(settings: Any) -> None:
    settings.TRYGG_DAILY_AT = "02:30"
    before = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)  # 02:00 in Stockholm
    assert next_run_at(before) == dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)
    after = dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)
    assert next_run_at(after) == dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)


def test_the_worker_queues_the_retention_run_once(db: Any) -> None:
    assert "privacy.retention" in daily_schedule()
    assert daily_schedule() == []
    assert DBTaskResult.objects.filter(args_kwargs__args=["privacy.retention"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_retention_and_queues_tomorrows() -> None:
    past = clock.now() - dt.timedelta(minutes=1)
    assert daily_queue("privacy.retention", at=past)
    call_command("trygg_worker", batch=True, no_startup_delay=True, verbosity=0)
    run = RetentionRun.objects.get()
    assert run.run_date == clock.today() and not run.dry_run
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert done.return_value["run"] == run.pk
    # Other apps' daily work (the contact app's outbox) is queued beside it.
    (waiting,) = [
        task
        for task in DBTaskResult.objects.filter(status="READY")
        if task.args_kwargs["args"] == ["privacy.retention"]
    ]
    assert waiting.run_after is not None and waiting.run_after > clock.now()
