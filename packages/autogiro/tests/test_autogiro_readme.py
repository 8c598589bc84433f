"""The README's programs run as printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autogiro import read_file
from autogiro_testkit import generated_stream

README = Path(__file__).resolve().parents[1] / "README.md"


def _program(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, heading
    return match.group(1)


def test_the_ten_line_program_lists_the_payments_of_a_file(tmp_path: Path) -> None:
    program = _program("## Read a file and list its payments")
    assert len(program.strip().splitlines()) <= 10
    spec = tmp_path / "BET_SPEC.txt"
    spec.write_bytes(generated_stream(3).read())
    script = tmp_path / "payments.py"
    script.write_text(program, encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(script), str(spec)], capture_output=True, text=True, check=True
    )

    assert result.stdout.splitlines() == [
        f"2026-02-02 {number} 300.00 Godkänd betalning, betalningen är genomförd"
        for number in range(3)
    ]


@pytest.mark.parametrize("heading", ["## Writing, task by task", "## Writing records"])
def test_the_writing_examples_write_files_that_read_back(
    heading: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(_program(heading), heading, "exec"), {})  # noqa: S102 - the README's own code
    (written,) = tmp_path.iterdir()
    records = read_file(written)
    assert records[0].TK == "01"
    assert len(records) >= 3


def _commented_values(program: str) -> list[tuple[str, str]]:
    """(expression, shown value) of every line written ``expression  # value``."""
    pairs = []
    for line in program.splitlines():
        code, _, comment = line.partition("  # ")
        if comment and not code.lstrip().startswith(("records", "OWN")):
            pairs.append((code.strip(), comment.strip()))
    return pairs


def test_the_errors_example_prints_what_it_shows() -> None:
    program = _program("## Errors in English and Swedish")
    namespace: dict[str, object] = {}
    exec(program, namespace)  # noqa: S102 - the README's own example
    pairs = _commented_values(program)
    assert len(pairs) == 3
    for expression, shown in pairs:
        assert repr(eval(expression, namespace)) == shown, expression  # noqa: S307


def test_the_extra_banks_example_names_the_bank() -> None:
    program = _program("## Strict and lenient, check digits and extra banks")
    lines = [line for line in program.splitlines() if "read_file(" not in line]
    namespace: dict[str, object] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - the README's own example
    expression, shown = next(p for p in _commented_values(program) if "parse_account" in p[0])
    assert repr(eval(expression, namespace)) == shown  # noqa: S307
