"""The vocabulary of the personal-data map, pure (no Django).

Every app says in its ``personal_data.py`` what each field of each of its models holds: personal
data or not, of which category, for which processing (a record of the processing register), and
which of its tables a retention rule purges. ``trygg.privacy`` discovers these modules; the apps
import only this vocabulary, which sits in the kernel so that every layer can use it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


class Category(enum.StrEnum):
    """Categories of personal data (GDPR Art. 30(1)(c)); Art. 9 and 10 data marked apart."""

    IDENTITY = "identity"  # name, personal identity number, birth date, customer number
    CONTACT = "contact"  # postal address, phone, e-mail, chat name
    FINANCIAL = "financial"  # accounts, payments, premiums, holdings, mandates
    INSURANCE = "insurance"  # applications, policies, levels, exclusions
    CLAIM = "claim"  # accidents, claims and their assessment
    HEALTH = "health"  # Art. 9: health declarations, injuries
    OFFENCE = "offence"  # Art. 10: suspected crime, threats
    CREDENTIAL = "credential"  # PIN hashes, token seeds, signing evidence
    ONLINE = "online"  # IP address, device data, session, log-ins
    ACTIVITY = "activity"  # who did what when: audit, case history
    FREE_TEXT = "free-text"  # text a person or staff wrote, may hold anything
    IMAGE = "image"  # camera images, recordings
    EMPLOYEE = "employee"  # staff users, sellers, handlers

    @property
    def special(self) -> bool:
        """Special categories (Art. 9) and data on offences (Art. 10)."""
        return self in (Category.HEALTH, Category.OFFENCE)


class Processing(enum.StrEnum):
    """The processings of the register (``trygg.privacy.register``), one record each."""

    CUSTOMER = "customer"
    LOGIN = "login"
    BANKING = "banking"
    APPLICATION = "application"
    CLAIMS = "claims"
    PREMIUM_BILLING = "premium-billing"
    AUTOGIRO = "autogiro"
    BOOKKEEPING = "bookkeeping"
    STAFF = "staff"
    IT_SUPPORT = "it-support"
    TESTING = "testing"
    PARTNER_TESTS = "partner-tests"
    BACKUP = "backup"
    ACCESS_LOG = "access-log"
    INTRUSION = "intrusion"
    CAMERA = "camera"
    VISITORS = "visitors"
    RECORDING_THREAT = "recording-threat"
    RECORDING_QUALITY = "recording-quality"
    SURVEY = "survey"
    PRIVACY_RIGHTS = "privacy-rights"
    PROTECTION = "protection"


@dataclass(frozen=True)
class Personal:
    """A field that holds personal data."""

    category: Category
    processing: Processing


@dataclass(frozen=True)
class Purge:
    """How a retention rule reaches a table: the rows whose ``date_field`` lies before the
    rule's cut-off (and that match ``when``: field lookups, values) are deleted with what
    depends on them, or, with ``clear``, kept with those fields emptied. ``subjects`` are the
    paths to the data subjects' party ids, which legal holds name. Rows other records still
    protect (a foreign key that forbids the delete) are kept and counted as such."""

    rule: str
    model: str
    date_field: str
    subjects: tuple[str, ...] = ()
    when: Mapping[str, object] = field(default_factory=dict)
    clear: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expire:
    """A table a retention rule reaches through its own function, ``expire(on, dry_run)``
    returning the rows removed (or, in a dry run, that would be): for a table that needs more
    than a delete, such as the audit log (whole months, its chain anchored)."""

    rule: str
    model: str
    expire: Callable[[dt.date, bool], int]


@dataclass(frozen=True)
class Keep:
    """Rows about a person that an erasure request (GDPR Art. 17) must leave, and why.
    ``reason`` is ``"contract"`` (a contract in force needs the data: the erasure waits until
    it ends) or the code of the retention rule that keeps the rows (they go with the retention
    run). Rows a ``Purge`` reaches are kept by its rule until their period has passed without
    being named here; ``when`` narrows the rows as in ``Purge``."""

    reason: str
    model: str
    when: Mapping[str, object] = field(default_factory=dict)


NOT_PERSONAL = None


@dataclass(frozen=True)
class ModelMap:
    """One model's entry: each field personal (category, processing) or not (``None``)."""

    model: str  # "app_label.ModelName"
    fields: Mapping[str, Personal | None]

    def personal(self) -> dict[str, Personal]:
        return {name: p for name, p in self.fields.items() if p is not None}


def model_map(
    model: str,
    processing: Processing,
    personal: Mapping[str, Category | tuple[Category, Processing]],
    other: tuple[str, ...] = (),
    key: str | None = "id",
) -> ModelMap:
    """A model's entry: ``personal`` fields (with the model's processing unless one is named),
    and the ``other`` fields that hold no personal data; the surrogate ``key`` is one of
    those (``None`` for a model whose primary key is a field listed above)."""
    fields: dict[str, Personal | None] = {}
    if key is not None:
        fields[key] = NOT_PERSONAL
    for name, value in personal.items():
        category, proc = value if isinstance(value, tuple) else (value, processing)
        fields[name] = Personal(category, proc)
    for name in other:
        if name in fields:
            raise ValueError(f"{model}.{name} is classified twice")
        fields[name] = NOT_PERSONAL
    return ModelMap(model, fields)
