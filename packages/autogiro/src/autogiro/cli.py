"""Command line: ``python -m autogiro show FILE``.

:func:`show` is what an application's own command (e.g. ``APP autogiro show FILE``) calls: it
prints the records of the file as a JSON list, or refuses the file, printing
every problem, and returns the exit code (0 or 1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from .accountnumbers import ExtraBank
from .errors import AutogiroError
from .messages import LANGUAGES
from .reader import iter_records, validate
from .serialize import to_json

__all__ = ["main", "show"]


def show(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    check_digits: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
    extra_banks: Sequence[ExtraBank] = (),
    lang: str = "en",
) -> int:
    """Print the file at ``path`` as a JSON list of records; return 0.

    Errors are printed in ``lang`` (``"en"`` or ``"sv"``).

    A file with problems is refused: every problem is printed to ``err``
    (one per line) and 1 is returned. The file is read twice (first checked,
    then printed) so memory use does not grow with its size.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        with open(path, "rb") as stream:
            errors = validate(
                stream, strict=strict, check_digits=check_digits, extra_banks=extra_banks
            )
    except OSError as problem:
        print(f"autogiro: {path}: {problem.strerror or problem}", file=err)
        return 1
    if errors:
        print(f"autogiro: {path}: refused, {len(errors)} error(s):", file=err)
        for error in errors:
            print(f"  {error.message(lang)}", file=err)
        return 1
    try:
        with open(path, "rb") as stream:
            out.write("[")
            first = True
            for record in iter_records(
                stream, strict=strict, check_digits=check_digits, extra_banks=extra_banks
            ):
                out.write("\n  " if first else ",\n  ")
                out.write(json.dumps(to_json(record), ensure_ascii=False))
                first = False
            out.write("\n]\n" if not first else "]\n")
    except AutogiroError as error:  # the file changed between the two readings
        print(f"autogiro: {path}: refused: {error.message(lang)}", file=err)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autogiro", description="Read Bankgirot Autogiro files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    show_parser = commands.add_parser("show", help="print a file as JSON, or its errors")
    show_parser.add_argument("file")
    show_parser.add_argument(
        "--lenient",
        action="store_true",
        help="read what transfers and editors make of a file: LF line ends, trimmed records, "
        "blank lines and Ctrl-Z at the end, UTF-8",
    )
    show_parser.add_argument(
        "--no-check-digits",
        action="store_true",
        help="skip the check digits of bankgiro, identity and account numbers "
        "(Bankgirot's example files fail them)",
    )
    show_parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the language of the errors"
    )
    arguments = parser.parse_args(argv)
    return show(
        arguments.file,
        strict=not arguments.lenient,
        check_digits=not arguments.no_check_digits,
        lang=arguments.lang,
    )
