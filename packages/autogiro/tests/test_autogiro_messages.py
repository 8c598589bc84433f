"""Every error has a code and a text in English and Swedish.

The rules are English in the code; :mod:`autogiro.messages` gives each a code and its Swedish
text. These tests read the package's source for every rule it can raise (string literals and
f-strings given to ``FieldError``, ``AutogiroError``, ``AccountNumberError``, fillers' rules,
check-digit problems and the phrases of totals) and check that the catalogue knows each one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import autogiro
from autogiro import AutogiroError, AutogiroValidationError
from autogiro.messages import CATALOGUE, LANGUAGES, UNKNOWN, code_of, translate
from test_autogiro_errors import CASES, errors_of

SOURCE = Path(autogiro.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_code_has_an_english_and_a_swedish_text_with_the_same_parts() -> None:
    assert LANGUAGES == ("en", "sv")
    for code, texts in CATALOGUE.items():
        assert set(texts) == {"en", "sv"}, code
        if code != "phrase.nothing":
            assert texts["en"].strip() and texts["sv"].strip(), code
            assert texts["en"] != texts["sv"] or "{" in texts["en"], code
        assert sorted(PLACEHOLDER.findall(texts["en"])) == sorted(
            PLACEHOLDER.findall(texts["sv"])
        ), code


def _sample(node: ast.expr) -> str | None:
    """A text the expression can produce: f-string parts become '7'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("7")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _sample(node.left), _sample(node.right)
        if right is not None:
            return (left or "must be numeric") + right
    return None


def _rules_in_source() -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    rules: list[tuple[str, int, str]] = []
    phrases: list[tuple[str, int, str]] = []
    for path in sorted(SOURCE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Return) and path.name == "checkdigits.py":
                text = _sample(node.value) if node.value is not None else None
                if text is not None:
                    rules.append((path.name, node.lineno, text))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            chosen: list[ast.expr] = []
            if name in ("FieldError", "AutogiroError", "_format_error") and node.args:
                chosen.append(node.args[0])
            if name == "AccountNumberError" and len(node.args) > 1:
                chosen.append(node.args[1])
            chosen += [kw.value for kw in node.keywords if kw.arg == "rule"]
            for expr in chosen:
                text = _sample(expr)
                if text is not None:
                    rules.append((path.name, node.lineno, text))
            if name == "_check" and len(node.args) > 5:
                text = _sample(node.args[5])
                if text is not None:
                    phrases.append((path.name, node.lineno, text))
            if name == "_mismatch" and len(node.args) > 4:
                text = _sample(node.args[4])
                if text is not None:
                    phrases.append((path.name, node.lineno, text))
    return rules, phrases


RULES, PHRASES = _rules_in_source()


def test_the_source_scan_finds_the_rules() -> None:
    assert len(RULES) > 80
    assert len(PHRASES) > 8


@pytest.mark.parametrize("where", RULES, ids=lambda where: f"{where[0]}:{where[1]}")
def test_every_rule_in_the_source_has_a_code_and_a_swedish_text(
    where: tuple[str, int, str],
) -> None:
    _file, _line, text = where
    assert code_of(text) != UNKNOWN, text
    assert translate(text, "sv") != text, text


@pytest.mark.parametrize("where", PHRASES, ids=lambda where: f"{where[0]}:{where[1]}")
def test_every_phrase_of_a_total_has_a_swedish_text(where: tuple[str, int, str]) -> None:
    _file, _line, text = where
    rule = f"must equal {text} (7)"
    assert code_of(rule) == "structure.must_equal"
    swedish = translate(rule, "sv")
    assert swedish.startswith("ska vara lika med ") and text not in swedish, swedish


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_every_error_of_the_error_table_reads_in_both_languages(
    case: tuple[str, bytes, int, int, str, str],
) -> None:
    for error in errors_of(case[1]):
        assert error.code != UNKNOWN, error.rule
        swedish = error.message(lang="sv")
        assert swedish != error.message(lang="en")
        assert swedish.startswith(f"rad {error.line}") or error.line is None


def test_an_error_in_swedish_names_line_column_field_and_what_was_found() -> None:
    error = AutogiroError("must be numeric", line=3, column=16, field="payer_number", got="AB12")
    assert error.code == "field.numeric"
    assert error.message() == str(error)
    assert (
        error.message(lang="sv")
        == "rad 3, kolumn 16, fält payer_number: ska vara numeriskt (fick 'AB12')"
    )
    assert error.to_dict()["code"] == "field.numeric"
    assert error.to_dict()["message_sv"] == error.message("sv")


def test_nested_phrases_are_translated() -> None:
    error = AutogiroError(
        "must equal the number of approved payments in the section (5)",
        line=2,
        column=72,
        field="approved_count",
        got="4",
    )
    assert error.message(lang="sv") == (
        "rad 2, kolumn 72, fält approved_count: "
        "ska vara lika med antalet godkända betalningar i avsnittet (5) (fick '4')"
    )
    unknown_tk = AutogiroError(
        "unknown transaction code in a payment specification in the old layout"
    )
    assert (
        unknown_tk.message("sv")
        == "okänd transaktionskod i en betalningsspecifikation i gammal layout"
    )


def test_a_bundle_of_errors_reads_in_swedish() -> None:
    bundle = AutogiroValidationError(
        [AutogiroError("is required", line=1, field="x"), AutogiroError("must be a date", line=2)]
    )
    assert bundle.message("sv").splitlines() == [
        "2 fel:",
        "  rad 1, fält x: måste anges",
        "  rad 2: ska vara ett datum",
    ]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        AutogiroError("is required").message(lang="de")
