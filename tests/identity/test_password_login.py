"""The protection service's Mine sider log-in: each family member's own identity number and
password (seed 004), on the PIN's failure counter; the first password chosen with a one-time
code from a letter; a session that reaches only the protection service's pages."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import portal_login
from trygg.identity import passwords
from trygg.identity.attempts import LoginRefused
from trygg.identity.models import LoginEvent, LoginThrottle, PasswordSetupCode
from trygg.identity.passwords import (
    password_change,
    password_code_issue,
    password_login,
    password_setup,
)
from trygg.identity.services import pin_credential_set, pin_login
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Letter, LetterState, Party
from trygg.parties.services import ContactInput, person_register
from trygg.protection.models import Issuer, Item

PASSWORD = "Blåbærsyltetøy på brødskiva"


def _person(serial: int, given: str, born: dt.date = dt.date(1984, 2, 29)) -> Party:
    return person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(born, serial),
        given_name=given,
        family_name="Nordmann",
        contact=ContactInput(street="Karl Johans gate 1", postal_code="0154", city="Oslo"),
        preferred_language="nb",
    )


def _code_of(party: Party, monkeypatch: Any) -> str:
    """Issue a set-up code and catch it on its way into the letter (the database holds only
    its hash, the letter's PDF only its rendering)."""
    seen: list[str] = []
    original = passwords.render_password_code_letter

    def spy(**kwargs: Any) -> bytes:
        seen.append(kwargs["code"])
        return original(**kwargs)

    monkeypatch.setattr(passwords, "render_password_code_letter", spy)
    password_code_issue(ctx=SYSTEM, party=party)
    monkeypatch.setattr(passwords, "render_password_code_letter", original)
    return seen[-1]


def _with_password(party: Party, monkeypatch: Any, password: str = PASSWORD) -> None:
    code = _code_of(party, monkeypatch)
    password_setup(
        ctx=SYSTEM,
        id_number=party.id_number,
        code=code,
        password=password,
        password_repeat=password,
    )


@pytest.fixture
def kari(db: Any) -> Party:
    return _person(123, "Kari")


@pytest.fixture
def ola(db: Any) -> Party:
    return _person(124, "Ola", dt.date(1982, 6, 1))


# -- setting the first password with the letter's code --------------------------------------


def test_the_code_goes_by_letter_and_sets_the_first_password(kari: Party, monkeypatch: Any) -> None:
    code = _code_of(kari, monkeypatch)
    letter = Letter.objects.get(party=kari, purpose=passwords.LETTER_PURPOSE)
    assert letter.state == LetterState.QUEUED and letter.secret
    assert (letter.street, letter.city) == ("Karl Johans gate 1", "Oslo")
    assert code not in PasswordSetupCode.objects.get(party=kari).code_hash
    result = password_setup(
        ctx=SYSTEM,
        id_number=kari.id_number,
        code=f"{code[:4].lower()} {code[4:8]}-{code[8:]}",  # as typed from the letter
        password=PASSWORD,
        password_repeat=PASSWORD,
    )
    assert result.party == kari
    assert password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD).party == kari
    assert LoginEvent.objects.filter(party=kari, method="password", success=True).count() == 1


def test_a_code_is_used_once(kari: Party, monkeypatch: Any) -> None:
    code = _code_of(kari, monkeypatch)
    password_setup(
        ctx=SYSTEM, id_number=kari.id_number, code=code, password=PASSWORD, password_repeat=PASSWORD
    )
    with pytest.raises(ValidationFailed) as refused:
        password_setup(
            ctx=SYSTEM,
            id_number=kari.id_number,
            code=code,
            password="Et helt annet passord",
            password_repeat="Et helt annet passord",
        )
    assert refused.value.code == "password.setup_refused" and refused.value.field == "code"
    # The password set with the code stands.
    assert password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD)


def test_a_code_sent_from_two_sessions_at_once_sets_one_password(
    kari: Party, monkeypatch: Any
) -> None:
    """The second session's whole request runs after the first has checked the code and
    before it takes it: only one of them sets its password."""
    code = _code_of(kari, monkeypatch)
    hasher = passwords.pin_hasher()
    outcome: list[Any] = []

    class Interleaving:
        def verify(self, encoded: str | None, secret: str) -> bool:
            ok = hasher.verify(encoded, secret)
            if not outcome:
                outcome.append(None)
                try:
                    outcome[0] = password_setup(
                        ctx=SYSTEM,
                        id_number=kari.id_number,
                        code=code,
                        password="Den andre økta sitt passord",
                        password_repeat="Den andre økta sitt passord",
                    )
                except DomainError as error:
                    outcome[0] = error
            return ok

        def hash(self, secret: str) -> str:
            return hasher.hash(secret)

    monkeypatch.setattr(passwords, "pin_hasher", Interleaving)
    with pytest.raises(ValidationFailed):
        password_setup(
            ctx=SYSTEM,
            id_number=kari.id_number,
            code=code,
            password=PASSWORD,
            password_repeat=PASSWORD,
        )
    assert outcome[0].party == kari  # the other session won
    monkeypatch.undo()
    assert password_login(
        ctx=SYSTEM, id_number=kari.id_number, password="Den andre økta sitt passord"
    )
    with pytest.raises(LoginRefused):
        password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_threads_sending_one_code_at_once_set_one_password() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    party = _person(125, "Per")
    seen: list[str] = []
    original = passwords.render_password_code_letter
    passwords.render_password_code_letter = lambda **kw: seen.append(kw["code"]) or original(**kw)  # type: ignore[assignment]
    try:
        password_code_issue(ctx=SYSTEM, party=party)
    finally:
        passwords.render_password_code_letter = original  # type: ignore[assignment]
    outcomes: list[str] = []
    barrier = threading.Barrier(4, timeout=20)

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            password_setup(
                ctx=SYSTEM,
                id_number=party.id_number,
                code=seen[0],
                password=f"Tråd nummer {n} sitt passord",
                password_repeat=f"Tråd nummer {n} sitt passord",
            )
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]


def test_an_expired_or_replaced_code_sets_nothing(
    kari: Party, monkeypatch: Any, frozen: Any
) -> None:
    first = _code_of(kari, monkeypatch)
    second = _code_of(kari, monkeypatch)  # the first one is void now
    for code in (first,):
        with pytest.raises(ValidationFailed):
            password_setup(
                ctx=SYSTEM,
                id_number=kari.id_number,
                code=code,
                password=PASSWORD,
                password_repeat=PASSWORD,
            )
    frozen(dt.timedelta(days=31))
    with pytest.raises(ValidationFailed):
        password_setup(
            ctx=SYSTEM,
            id_number=kari.id_number,
            code=second,
            password=PASSWORD,
            password_repeat=PASSWORD,
        )
    assert not hasattr(Party.objects.get(pk=kari.pk), "password_credential") or not (
        Party.objects.filter(pk=kari.pk, password_credential__isnull=False).exists()
    )


@pytest.mark.parametrize(
    ("password", "repeat", "code"),
    [
        ("kort", "kort", "password.too_short"),
        ("x" * 129, "x" * 129, "password.too_long"),
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "password.repeated"),
        ("qwertyuiop", "qwertyuiop", "password.common"),
        ("password123", "password123", "password.common"),
        (None, None, "password.required"),
        (PASSWORD, PASSWORD + "!", "password.repeat_mismatch"),
    ],
)
def test_password_rules_refuse_and_change_nothing(
    kari: Party, monkeypatch: Any, password: Any, repeat: Any, code: str
) -> None:
    setup_code = _code_of(kari, monkeypatch)
    with pytest.raises(ValidationFailed) as refused:
        password_setup(
            ctx=SYSTEM,
            id_number=kari.id_number,
            code=setup_code,
            password=password,
            password_repeat=repeat,
        )
    assert code in {p.code for p in refused.value.problems}
    assert PasswordSetupCode.objects.get(party=kari).used_at is None  # the code still works
    assert not LoginThrottle.objects.filter(failures__gt=0).exists()  # nothing counted


def test_the_identity_number_is_no_password(kari: Party, monkeypatch: Any) -> None:
    setup_code = _code_of(kari, monkeypatch)
    for password in (f"mitt{kari.id_number}", f"Kari-{kari.id_number[-10:]}!", "Kari 290284 x"):
        with pytest.raises(ValidationFailed) as refused:
            password_setup(
                ctx=SYSTEM,
                id_number=kari.id_number,
                code=setup_code,
                password=password,
                password_repeat=password,
            )
        assert {p.code for p in refused.value.problems} & {
            "password.id_number",
            "password.birth_date",
        }


def test_the_family_may_share_one_password(kari: Party, ola: Party, monkeypatch: Any) -> None:
    """The seed's own tip: "endre passordet til det samme for alle i familien"."""
    _with_password(kari, monkeypatch)
    _with_password(ola, monkeypatch)
    assert password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD).party == kari
    assert password_login(ctx=SYSTEM, id_number=ola.id_number, password=PASSWORD).party == ola


# -- the one answer, the lock, the shared counter -------------------------------------------


def test_every_failed_log_in_gets_the_same_answer(
    kari: Party, ola: Party, monkeypatch: Any
) -> None:
    _with_password(kari, monkeypatch)
    unknown = idnumbers.generate_norwegian_personal(dt.date(1990, 1, 1), 321)
    answers = []
    for id_number, password in (
        (kari.id_number, "feil passord her"),  # wrong password
        (ola.id_number, "feil passord her"),  # a customer without a password
        (unknown, "feil passord her"),  # nobody
    ):
        with pytest.raises(LoginRefused) as refused:
            password_login(ctx=SYSTEM, id_number=id_number, password=password)
        answers.append((refused.value.code, refused.value.message, refused.value.attempts_left))
    assert len(set(answers)) == 1
    assert answers[0][0] == "login.failed"
    # The unknown number has a counter like a known one: it locks the same way.
    assert LoginThrottle.objects.count() == 3


def test_five_failures_lock_every_log_in_of_the_number(kari: Party, monkeypatch: Any) -> None:
    _with_password(kari, monkeypatch)
    pin_credential_set(ctx=SYSTEM, party=kari, pin="4826", must_change=False)
    for n in range(5):
        with pytest.raises(LoginRefused) as refused:
            password_login(ctx=SYSTEM, id_number=kari.id_number, password=f"galt passord {n}")
    assert refused.value.code == "login.locked"
    assert AuditEvent.objects.filter(action="locked").count() == 1
    # The right password is refused unchecked, and so is the PIN: one counter per number.
    with pytest.raises(LoginRefused) as refused:
        password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD)
    assert refused.value.code == "login.locked"
    with pytest.raises(LoginRefused):
        pin_login(ctx=SYSTEM, id_number=kari.id_number, pin="4826")
    # A new code (by post) unlocks, as a PIN letter does.
    _with_password(kari, monkeypatch, "Et nytt og langt passord")
    assert password_login(ctx=SYSTEM, id_number=kari.id_number, password="Et nytt og langt passord")


def test_wrong_codes_count_on_the_same_counter(kari: Party, monkeypatch: Any) -> None:
    _code_of(kari, monkeypatch)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            password_setup(
                ctx=SYSTEM,
                id_number=kari.id_number,
                code="ABCDEFGHJKLM",
                password=PASSWORD,
                password_repeat=PASSWORD,
            )
    assert LoginThrottle.objects.get().locked_at is not None


def test_changing_the_password_needs_the_current_one(kari: Party, monkeypatch: Any) -> None:
    _with_password(kari, monkeypatch)
    with pytest.raises(ValidationFailed) as refused:
        password_change(
            ctx=SYSTEM,
            party=kari,
            current_password="ikke dette",
            new_password="Et nytt og langt passord",
            new_password_repeat="Et nytt og langt passord",
        )
    assert refused.value.field == "current_password"
    assert LoginThrottle.objects.get().failures == 1
    password_change(
        ctx=SYSTEM,
        party=kari,
        current_password=PASSWORD,
        new_password="Et nytt og langt passord",
        new_password_repeat="Et nytt og langt passord",
    )
    assert LoginThrottle.objects.get().failures == 0
    with pytest.raises(LoginRefused):
        password_login(ctx=SYSTEM, id_number=kari.id_number, password=PASSWORD)


# -- the portal ------------------------------------------------------------------------------


def _browser_login(client: Client, party: Party, password: str = PASSWORD) -> Any:
    page = client.get("/login/password/")
    token = client.cookies["trygg_csrftoken"].value
    assert page.status_code == 200
    return client.post(
        "/login/password/",
        {"id_number": party.id_number, "password": password, "csrfmiddlewaretoken": token},
    )


def test_the_password_pages_speak_norwegian(db: Any) -> None:
    page = Client().get("/login/password/").content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page


def test_a_password_session_reaches_only_the_protection_service(
    kari: Party, monkeypatch: Any
) -> None:
    _with_password(kari, monkeypatch)
    client = Client()
    response = _browser_login(client, kari)
    assert response.status_code == 302 and response["Location"] == "/protection/"
    assert response.cookies["trygg_language"].value == "nb"
    assert client.get("/protection/").status_code == 200
    assert client.get("/password/").status_code == 200
    for page in ("/overview/", "/bank/", "/insurance/", "/profile/", "/pin/", "/autogiro/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/protection/", page
    assert client.get("/").headers["Location"] == "/protection/"
    api = client.get("/api/v1/accounts")
    assert api.status_code == 403 and api.json()["code"] == "session.service_only"


def test_a_family_member_sees_only_their_own_registry(
    kari: Party, ola: Party, monkeypatch: Any
) -> None:
    _with_password(kari, monkeypatch)
    issuer = Issuer.objects.get(code="dnb")
    now = clock.now()
    olas = Item.objects.create(
        customer=ola,
        kind="card",
        issuer=issuer,
        card_type="Olas firmakort",
        source="online",
        created_at=now,
        updated_at=now,
    )
    client = Client()
    _browser_login(client, kari)
    page = client.get("/protection/").content.decode()
    assert "Olas firmakort" not in page
    assert client.get(f"/protection/items/{olas.pk}/").status_code == 404
    token = client.cookies["trygg_csrftoken"].value
    client.post(f"/protection/items/{olas.pk}/remove/", {"csrfmiddlewaretoken": token})
    assert Item.objects.get(pk=olas.pk).removed_at is None


def test_a_password_session_ends_after_five_idle_minutes(
    kari: Party, monkeypatch: Any, frozen: Any
) -> None:
    _with_password(kari, monkeypatch)
    client = Client()
    _browser_login(client, kari)
    frozen(dt.timedelta(minutes=4, seconds=50))
    assert client.get("/protection/").status_code == 200
    frozen(dt.timedelta(minutes=5, seconds=1))
    response = client.get("/protection/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_log_in_form_gives_one_answer_and_keeps_nothing_of_the_password(
    kari: Party, ola: Party, monkeypatch: Any
) -> None:
    _with_password(kari, monkeypatch)
    pages = []
    for party in (kari, ola):
        response = _browser_login(Client(), party, "feil passord her")
        assert response.status_code == 401
        pages.append(response.content.decode())
    assert "feil passord her" not in pages[0]

    def errors(page: str) -> str:
        start = page.index('role="alert"')
        return page[start : page.index("</div>", start)]

    assert errors(pages[0]) == errors(pages[1])
    assert "identity number or the password is wrong" in errors(pages[0]) or (
        "passordet er feil" in errors(pages[0])
    )


def test_the_set_up_page_sets_the_password_and_logs_in(kari: Party, monkeypatch: Any) -> None:
    code = _code_of(kari, monkeypatch)
    client = Client()
    client.get("/login/password/setup/")
    token = client.cookies["trygg_csrftoken"].value
    response = client.post(
        "/login/password/setup/",
        {
            "id_number": kari.id_number,
            "code": code,
            "password": PASSWORD,
            "password_repeat": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/protection/"
    assert client.get("/protection/").status_code == 200


def test_a_pin_session_still_reaches_everything(kari: Party) -> None:
    pin_credential_set(ctx=SYSTEM, party=kari, pin="4826", must_change=False)
    client = Client()
    portal_login(client, kari.id_number, "4826")
    assert client.get("/protection/").status_code == 200
    assert client.get("/profile/").status_code == 200


def test_the_set_up_answer_says_nothing_about_the_number(kari: Party, monkeypatch: Any) -> None:
    """A password holding the typed number is refused alike for a customer and for nobody."""
    _code_of(kari, monkeypatch)
    unknown = idnumbers.generate_norwegian_personal(dt.date(1990, 1, 1), 321)
    answers = []
    for number in (kari.id_number, unknown):
        password = f"passord{number}"
        with pytest.raises(ValidationFailed) as refused:
            password_setup(
                ctx=SYSTEM,
                id_number=number,
                code="ABCDEFGHJKLM",
                password=password,
                password_repeat=password,
            )
        answers.append(sorted(p.code for p in refused.value.problems))
    assert answers[0] == answers[1] == ["password.id_number"]
    assert not LoginThrottle.objects.exists()  # refused before anything was counted


def test_staff_send_a_code_by_letter(kari: Party) -> None:
    from tests.backoffice.test_backoffice import _login, _staff

    user, device = _staff("customer_service")
    client = Client()
    assert _login(client, user, device).status_code == 302
    url = f"/backoffice/parties/party/{kari.pk}/password-code/"
    assert client.get(url).status_code == 200
    assert not PasswordSetupCode.objects.exists()  # a GET only asks
    assert client.post(url).status_code == 302
    code = PasswordSetupCode.objects.get(party=kari)
    letter = Letter.objects.get(purpose=passwords.LETTER_PURPOSE, reference=str(code.pk))
    assert letter.secret and letter.state == LetterState.QUEUED
    assert AuditEvent.objects.filter(object_type="password_code", actor_label=user.username)
