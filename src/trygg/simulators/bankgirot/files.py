"""The exchange directory: where files come in, go out, and are refused.

::

    <root>/
      to_bankgirot/            files from trygg (any name; names starting with '.' or ending in
                               '.part' or '.tmp' are being written and are skipped)
      to_bankgirot/refused/    a copy of each refused file and <name>.errors.txt
      from_bankgirot/          the simulator's answers
      scenario.json            optional outcomes
      state.json               the simulator's state

Answer files are named ``BFEP.IAGAG.K0<customer>.D<yymmdd>.T<hhmmss>.<KIND>``: the Bankgirot
customer number from the incoming opening record, the file date, a time of day and the kind:
``BETSPEC`` (payment specification), ``MEDAVI`` (mandate notices), ``AVVISADE`` (rejected payment
orders) or ``MAKANDR`` (cancellation/amendment answers). The simulated day's files are stamped
06:00:00, 06:00:01 ... in the order they are meant to be imported (payment specification first,
then mandate notices, rejected orders and amendment answers), so sorting the names of one
customer number sorts the files by date and import order. The same time is in the opening
record.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import Final

from autogiro import AutogiroError, Record, codes, write_bytes
from trygg.banking.rules import OWN_BANKS

__all__ = [
    "KIND_SUFFIXES",
    "Layout",
    "file_time",
    "incoming_files",
    "output_name",
    "refuse",
    "write_atomically",
    "write_report",
]

KIND_SUFFIXES: Final = {
    codes.CONTENT_PAYMENT_SPECIFICATION: "BETSPEC",
    codes.CONTENT_MANDATE_NOTICES: "MEDAVI",
    codes.CONTENT_REJECTED_PAYMENTS: "AVVISADE",
    codes.CONTENT_AMENDMENTS: "MAKANDR",
}

_PARTIAL_SUFFIXES: Final = (".part", ".tmp")


class Layout:
    """Paths of an exchange directory."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.incoming = self.root / "to_bankgirot"
        self.refused = self.incoming / "refused"
        self.outgoing = self.root / "from_bankgirot"
        self.scenario = self.root / "scenario.json"
        self.state = self.root / "state.json"
        self.lock = self.root / ".bankgirot.lock"

    def create(self) -> None:
        for folder in (self.incoming, self.refused, self.outgoing):
            folder.mkdir(parents=True, exist_ok=True)


def file_time(sequence: int) -> time:
    """The time of day of the ``sequence``-th (0-based) file of a simulated day."""
    minutes, seconds = divmod(sequence, 60)
    hours, minutes = divmod(minutes, 60)
    return time(6 + hours % 18, minutes, seconds)


def output_name(customer_number: str, day: date, stamp: time, content: str) -> str:
    return f"BFEP.IAGAG.K0{customer_number}.D{day:%y%m%d}.T{stamp:%H%M%S}.{KIND_SUFFIXES[content]}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so a reader never
    sees half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(folder: Path, name: str, records: Sequence[Record]) -> Path:
    """Validate ``records`` with the library's writer and write them to ``folder/name``."""
    data = write_bytes(records, extra_banks=OWN_BANKS)
    path = folder / name
    write_atomically(path, data)
    return path


def incoming_files(folder: Path) -> list[Path]:
    """Complete files waiting in ``folder``, by name."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(_PARTIAL_SUFFIXES)
    )


def refuse(layout: Layout, name: str, data: bytes, errors: Sequence[AutogiroError | str]) -> Path:
    """Put a copy of a refused file and its errors in ``to_bankgirot/refused/``."""
    layout.refused.mkdir(parents=True, exist_ok=True)
    copy = layout.refused / name
    write_atomically(copy, data)
    lines = [f"{name}: refused whole, nothing in it was registered.", ""]
    lines += [str(error) for error in errors]
    write_atomically(
        layout.refused / f"{name}.errors.txt", ("\n".join(lines) + "\n").encode("utf-8")
    )
    return copy
