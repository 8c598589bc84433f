"""One way to change state: every registered state column is written only by its domain's
transition function(s), which check the transition table in the domain's ``rules.py``.

The source tree is read (not imported) and every write of a ``state`` is found: a queryset's
``.update(state=...)``, an assignment ``x.state = ...`` and a creation with ``state=...``.
Which model is written is worked out from the module's imports of ``<app>.models``, the
function's annotations and assignments, and the models' foreign keys. A write of a registered
column outside its owners fails (a creation only outside the domain's app: a row is born in
its first state), and so does a state write whose model cannot be worked out, unless it is
listed below as a column no table governs yet. Planted writes prove that the scan bites.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from trygg.banking import rules as banking_rules
from trygg.billing import rules as billing_rules
from trygg.claims import rules as claims_rules
from trygg.contact import rules as contact_rules
from trygg.insurance import application_rules
from trygg.insurance import rules as insurance_rules
from trygg.kernel import statetable
from trygg.parties import rules as parties_rules
from trygg.privacy import rules as privacy_rules
from trygg.protection import rules as protection_rules

SRC = Path(__file__).resolve().parents[1] / "src"

# Registered state columns: model label -> the functions that may change it, as
# "module path" (any function in it) or "module path:function".
OWNERS: dict[str, frozenset[str]] = {
    "billing.Charge": frozenset({"trygg/billing/states.py"}),
    "billing.Mandate": frozenset({"trygg/billing/states.py"}),
    "insurance.Application": frozenset({"trygg/insurance/cases.py:application_move"}),
    "insurance.Policy": frozenset({"trygg/insurance/policies.py:_policy_move"}),
    "claims.Claim": frozenset({"trygg/claims/services.py:_claim_move"}),
    # The protection service's owners keep their moves in their services module.
    "protection.Block": frozenset({"trygg/protection/services.py"}),
    "protection.BlockingCall": frozenset({"trygg/protection/services.py"}),
    "parties.Letter": frozenset({"trygg/parties/letters.py"}),
    "protection.Agreement": frozenset(
        {"trygg/protection/subscriptions.py", "trygg/protection/payments.py"}
    ),
    "protection.Invoice": frozenset(
        {"trygg/protection/subscriptions.py", "trygg/protection/payments.py"}
    ),
    "protection.FoundKeysCase": frozenset({"trygg/protection/keytags.py"}),
    "protection.IdTheftCase": frozenset({"trygg/protection/idtheft.py"}),
    "protection.DisputedClaim": frozenset({"trygg/protection/idtheft.py"}),
    "protection.ProtectionClaim": frozenset({"trygg/protection/claims.py:_move"}),
    "privacy.SubjectRequest": frozenset(
        {"trygg/privacy/services.py:_new_request", "trygg/privacy/services.py:_move"}
    ),
    "privacy.RecipientNotice": frozenset({"trygg/privacy/notices.py"}),
    "contact.Interaction": frozenset({"trygg/contact/services.py"}),
    "contact.Survey": frozenset({"trygg/contact/services.py"}),
    "contact.Visit": frozenset({"trygg/contact/services.py"}),
    "contact.FootageExport": frozenset({"trygg/contact/services.py"}),
    "contact.SupportTicket": frozenset({"trygg/contact/services.py"}),
    "banking.Payment": frozenset({"trygg/banking/services.py:_payment_move"}),
}

# The transition table of each registered column, and the model's own list of states.
TABLES: dict[str, statetable.StateTable] = {
    "billing.Charge": billing_rules.CHARGE_TRANSITIONS,
    "billing.Mandate": billing_rules.MANDATE_TRANSITIONS,
    "insurance.Policy": insurance_rules.POLICY_TRANSITIONS,
    "claims.Claim": claims_rules.CLAIM_TRANSITIONS,
    "protection.Block": protection_rules.BLOCK_TRANSITIONS,
    "protection.BlockingCall": protection_rules.CALL_TRANSITIONS,
    "parties.Letter": parties_rules.LETTER_TRANSITIONS,
    "protection.Agreement": protection_rules.AGREEMENT_TRANSITIONS,
    "protection.Invoice": protection_rules.INVOICE_TRANSITIONS,
    "protection.FoundKeysCase": protection_rules.FOUND_TRANSITIONS,
    "protection.IdTheftCase": protection_rules.ID_THEFT_TRANSITIONS,
    "protection.DisputedClaim": protection_rules.DISPUTE_TRANSITIONS,
    "protection.ProtectionClaim": protection_rules.CLAIM_TRANSITIONS,
    "privacy.SubjectRequest": privacy_rules.REQUEST_TRANSITIONS,
    "privacy.RecipientNotice": privacy_rules.NOTICE_TRANSITIONS,
    "contact.Interaction": contact_rules.INTERACTION_TRANSITIONS,
    "contact.Survey": contact_rules.SURVEY_TRANSITIONS,
    "contact.Visit": contact_rules.VISIT_TRANSITIONS,
    "contact.FootageExport": contact_rules.CUSTODY_TRANSITIONS,
    "contact.SupportTicket": contact_rules.TICKET_TRANSITIONS,
    "banking.Payment": banking_rules.PAYMENT_TRANSITIONS,
}

# Columns named ``state`` that no transition table governs (yet): one-time things whose state
# is written once under a conditional update, and records kept by other means.
UNGOVERNED = frozenset(
    {
        "banking.TradeOrder",
        "identity.SecurityToken",
        "identity.SigningOrder",
        "identity.BankIdOrder",
        "kernel.Job",
        "parties.SoleTrader",
        "parties.LetterEvent",
        "protection.Payment",
        "contact.OutboxMessage",
        "privacy.LegalHold",
    }
)

MANAGER_METHODS = frozenset(
    {
        "objects",
        "all",
        "filter",
        "exclude",
        "get",
        "first",
        "last",
        "select_for_update",
        "select_related",
        "prefetch_related",
        "order_by",
        "only",
        "defer",
        "annotate",
        "distinct",
        "using",
        "none",
        "earliest",
        "latest",
        "_default_manager",
    }
)


@dataclass(frozen=True)
class Write:
    module: str  # path under src/
    function: str
    line: int
    kind: str  # "update", "assign" or "create"
    model: str | None  # label, or None when it could not be worked out


def _models_by_import(tree: ast.Module) -> dict[str, str]:
    """Names bound to model classes by ``from trygg.<app>.models import X``."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            app = node.module.split(".")[-2]
            for alias in node.names:
                try:
                    model = apps.get_model(app, alias.name)
                except LookupError:
                    continue
                found[alias.asname or alias.name] = model._meta.label
    return found


def _related(label: str, attribute: str) -> str | None:
    model = apps.get_model(label)
    try:
        field = model._meta.get_field(attribute)
    except Exception:
        return None
    related = getattr(field, "related_model", None)
    if related is None or not isinstance(related, type) or not issubclass(related, models.Model):
        return None
    return str(related._meta.label)


class _Function(ast.NodeVisitor):
    """The state writes of one function, with what its names hold."""

    def __init__(
        self,
        module: str,
        name: str,
        imported: dict[str, str],
        outer: dict[str, str],
        returns: dict[str, ast.expr | None],
    ):
        self.module = module
        self.name = name
        self.imported = imported
        self.names: dict[str, str] = dict(outer)
        self.returns = returns  # the module's functions and what they are annotated to return
        self.writes: list[Write] = []

    def model_of(self, node: ast.expr | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Name):
            return self.names.get(node.id) or self.imported.get(node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.imported.get(node.value)
        if isinstance(node, ast.Subscript):  # QuerySet[Charge], list[Charge]
            return self.model_of(node.slice) or self.model_of(node.value)
        if isinstance(node, ast.BinOp):  # Charge | None
            return self.model_of(node.left) or self.model_of(node.right)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in {"list", "sorted", "next"}:
                return self.model_of(node.args[0]) if node.args else None
            if isinstance(node.func, ast.Name) and node.func.id in self.returns:
                return self.model_of(self.returns[node.func.id])
            return self.model_of(node.func)
        if isinstance(node, ast.Attribute):
            owner = self.model_of(node.value)
            if owner is None:
                return None
            if node.attr in MANAGER_METHODS:
                return owner
            return _related(owner, node.attr)
        if isinstance(node, ast.comprehension):
            return self.model_of(node.iter)
        return None

    def _bind(self, target: ast.expr, model: str | None) -> None:
        if isinstance(target, ast.Name) and model is not None:
            self.names[target.id] = model

    def _write(self, node: ast.AST, kind: str, model: str | None) -> None:
        self.writes.append(Write(self.module, self.name, node.lineno, kind, model))  # type: ignore[attr-defined]

    def visit_arguments(self, node: ast.arguments) -> None:
        for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs]:
            model = self.model_of(arg.annotation)
            if model is not None:
                self.names[arg.arg] = model

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        model = self.model_of(node.value)
        for target in node.targets:
            self._bind(target, model)
            if isinstance(target, ast.Attribute) and target.attr == "state":
                self._write(node, "assign", self.model_of(target.value))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        self._bind(node.target, self.model_of(node.annotation) or self.model_of(node.value))
        if isinstance(node.target, ast.Attribute) and node.target.attr == "state":
            self._write(node, "assign", self.model_of(node.target.value))

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, self.model_of(node.iter))
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind(node.target, self.model_of(node.iter))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        if not any(k.arg == "state" for k in node.keywords):
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update":
            self._write(node, "update", self.model_of(func.value))
        elif isinstance(func, ast.Attribute) and func.attr in {"create", "get_or_create"}:
            self._write(node, "create", self.model_of(func.value))
        elif isinstance(func, ast.Name) and func.id in self.imported:
            self._write(node, "create", self.imported[func.id])

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        inner = _Function(self.module, node.name, self.imported, self.names, self.returns)
        inner.visit(node.args)
        for statement in node.body:
            inner.visit(statement)
        self.writes += inner.writes

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]


def writes_in(module: str, source: str) -> list[Write]:
    tree = ast.parse(source)
    returns = {
        node.name: node.returns
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    scanner = _Function(module, "<module>", _models_by_import(tree), {}, returns)
    for statement in tree.body:
        scanner.visit(statement)
    return scanner.writes


def _app_of(module: str) -> str:
    return module.split("/")[1]


def _owned(write: Write, owners: frozenset[str]) -> bool:
    return write.module in owners or f"{write.module}:{write.function}" in owners


def violations(writes: list[Write]) -> list[str]:
    found = []
    for w in writes:
        where = f"{w.module}:{w.line} ({w.function})"
        if w.model is None:
            found.append(f"{where}: a {w.kind} of a state whose model is unknown")
        elif w.model in OWNERS:
            domain = w.model.split(".")[0]
            if w.kind == "create":
                if _app_of(w.module) != domain:
                    found.append(f"{where}: creates a {w.model} outside {domain}")
            elif not _owned(w, OWNERS[w.model]):
                found.append(f"{where}: changes {w.model}.state outside its transition function")
        elif w.model not in UNGOVERNED:
            found.append(f"{where}: writes {w.model}.state, governed by no table")
    return found


def _tree() -> Iterator[tuple[str, str]]:
    for path in sorted((SRC / "trygg").rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative.startswith("trygg/simulators/"):
            continue  # migrations replay history; the simulators hold no models
        yield relative, path.read_text(encoding="utf-8")


def test_no_module_writes_a_state_column_outside_its_transition_function() -> None:
    writes = [w for module, source in _tree() for w in writes_in(module, source)]
    assert violations(writes) == []
    # The scan sees the owners' own writes, so it reads the tree it means to.
    seen = {w.model for w in writes}
    assert {"billing.Charge", "billing.Mandate", "claims.Claim", "insurance.Policy"} <= seen


PLANTED = """
from trygg.billing.models import Charge, Mandate
from trygg.claims.models import Claim


def booked(charge: Charge) -> None:
    charge.state = "paid"


def stale() -> int:
    return Charge.objects.filter(due_date__lt="2026-01-01").update(state="cancelled")


def through_a_key(claim_id: int) -> None:
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    mandate = claim.policy
    for charge in Charge.objects.filter(policy=mandate):
        charge.state = "stopped"


def born() -> None:
    Mandate.objects.create(state="active")


def unknown(row) -> None:
    row.state = "done"
"""


@pytest.mark.parametrize("module", ["trygg/banking/services.py", "trygg/billing/charges.py"])
def test_planted_writes_outside_the_transition_functions_fail(module: str) -> None:
    found = violations(writes_in(module, PLANTED))
    lines = sorted(int(v.split(":")[1].split(" ")[0]) for v in found)
    planted = PLANTED.splitlines()
    at = {text: planted.index(text) + 1 for text in planted if "state=" in text or ".state" in text}
    expected = [
        at['    charge.state = "paid"'],
        at['    return Charge.objects.filter(due_date__lt="2026-01-01").update(state="cancelled")'],
        at['        charge.state = "stopped"'],
        *([at['    Mandate.objects.create(state="active")']] if "banking" in module else []),
        at['    row.state = "done"'],
    ]
    assert lines == expected, found


def test_the_owners_own_write_passes() -> None:
    source = "from trygg.billing.models import Charge\n\ndef f(c: Charge) -> None:\n"
    source += '    c.state = "x"\n'
    assert violations(writes_in("trygg/billing/states.py", source)) == []


@pytest.mark.parametrize("label", sorted(TABLES))
def test_each_table_lists_exactly_its_models_states(label: str) -> None:
    table = TABLES[label]
    statetable.check_table(table)
    field = apps.get_model(label)._meta.get_field("state")
    assert {str(s) for s in table} == {value for value, _label in field.choices or []}


def test_the_application_steps_lead_to_its_states() -> None:
    field = apps.get_model("insurance.Application")._meta.get_field("state")
    states = {value for value, _label in field.choices or []}
    assert {str(s) for s in application_rules.LEADS_TO.values()} <= states
