"""Server-side sessions in the database, as Django's store, with the session row read as a
prepared read: every request of a logged-in customer or staff member loads it."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from trygg.kernel.statements import PreparedRead

_SESSION = PreparedRead(lambda key: Session.objects.filter(session_key=key))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        rows = _SESSION(self.session_key) if self.session_key else []
        if rows and rows[0].expire_date > timezone.now():
            return rows[0]
        self._session_key = None  # unknown or expired: a new session starts
        return None
