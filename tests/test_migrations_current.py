"""The models and the migrations agree, the installed packages' too: nothing the project does at
start-up (the back office's labels for third-party models, say) may give a package's model a
state its migrations do not have."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check found changes without a migration (exit {exit_.code})")
