"""The layouts are complete and LAYOUT.md describes exactly what the code does."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from pathlib import Path

import pytest

import autogiro
from autogiro import ALL_RECORD_TYPES, Record, codes
from autogiro.fields import Code

LAYOUT_MD = Path(autogiro.__file__).with_name("LAYOUT.md")


@pytest.mark.parametrize("cls", ALL_RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_layout_covers_positions_1_to_80_without_gaps(cls: type[Record]) -> None:
    position = 1
    for item in cls.LAYOUT:
        assert item.start == position, (item.name, item.start, position)
        position = item.end + 1
    assert position == 81
    assert cls.LAYOUT[0].name == "tk"
    assert cls.LAYOUT[0].codec.encode(None) == cls.TK


@pytest.mark.parametrize("cls", ALL_RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_layout_fields_are_the_dataclass_fields(cls: type[Record]) -> None:
    in_layout = sorted(item.name for item in cls.LAYOUT if item.attribute)
    in_class = sorted(f.name for f in dataclasses.fields(cls) if f.name != "line")
    assert in_layout == in_class
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_record_names_are_unique_and_have_swedish_titles() -> None:
    names = [cls.NAME for cls in ALL_RECORD_TYPES]
    assert len(names) == len(set(names))
    assert set(names) == set(codes.RECORD_TITLES)


def test_lenient_fields_are_optional_attributes_and_codes_exist() -> None:
    for cls in ALL_RECORD_TYPES:
        by_name = {item.name: item for item in cls.LAYOUT if item.attribute}
        for name, comment_codes in cls.LENIENT.items():
            assert name in by_name
            comment = by_name["comment_code"].codec
            assert isinstance(comment, Code)
            assert comment_codes <= set(comment.table)


def _documented_tables() -> dict[str, list[tuple[int, int, str]]]:
    tables: dict[str, list[tuple[int, int, str]]] = {}
    current: list[tuple[int, int, str]] | None = None
    for line in LAYOUT_MD.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### TK(\d\d) `(\w+)` \((\w+)\)$", line)
        if heading:
            current = tables.setdefault(heading.group(2), [])
            continue
        row = re.match(r"\| (\d+)(?:-(\d+))? \| (\w+) \|", line)
        if row and current is not None:
            start = int(row.group(1))
            end = int(row.group(2) or start)
            current.append((start, end, row.group(3)))
    return tables


def test_layout_md_lists_every_record_with_the_positions_of_the_code() -> None:
    documented = _documented_tables()
    assert set(documented) == {cls.NAME for cls in ALL_RECORD_TYPES}
    for cls in ALL_RECORD_TYPES:
        expected = [(item.start, item.end, item.name) for item in cls.LAYOUT]
        assert documented[cls.NAME] == expected, cls.NAME


def test_code_tables_have_swedish_texts() -> None:
    tables = [
        codes.PERIOD_CODES,
        codes.PAYMENT_STATUS_CODES,
        codes.REFUND_CODES,
        codes.REJECTION_COMMENT_CODES,
        codes.MANDATE_INFORMATION_CODES,
        codes.MANDATE_COMMENT_CODES,
        codes.AMENDMENT_COMMENT_CODES,
        codes.PAYMENT_TYPES,
        codes.CONTENT_NAMES,
    ]
    for table in tables:
        assert table
        for code, text in table.items():
            assert code.strip()
            assert text and text[0].isupper()
    assert codes.describe(codes.PAYMENT_STATUS_CODES, "1") == (
        "Täckning saknas, betalningen har inte genomförts"
    )
    assert codes.describe(codes.PAYMENT_STATUS_CODES, None) is None
    assert set(codes.AMENDMENT_COMMENT_CODES) >= codes.AMENDMENT_SUCCESS_CODES


def test_importing_the_package_loads_only_the_standard_library() -> None:
    import subprocess

    script = (
        "import sys; before = set(sys.modules); import autogiro, autogiro.cli;"
        "bad = sorted(m for m in set(sys.modules) - before if m.split('.')[0] != 'autogiro'"
        " and m.split('.')[0] not in sys.stdlib_module_names);"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sources_import_only_the_standard_library() -> None:
    package = Path(autogiro.__file__).parent
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root == "__future__" or root in sys.stdlib_module_names, (
                    source.name,
                    root,
                )
