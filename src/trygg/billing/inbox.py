"""The files Bankgirot has delivered to the exchange folder's ``from_bankgirot/``, imported in
the order of their names (Bankgirot's names sort by date and time). A file imported before is
recognised by its content and books nothing again; a malformed file is refused whole and the
next ones are still imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trygg.billing.imports import autogiro_import
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import DomainError


@dataclass
class InboxResult:
    imported: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def inbox_files(root: Path) -> list[Path]:
    folder = root / "from_bankgirot"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith((".part", ".tmp"))
    )


def inbox_import(*, ctx: AuditContext, root: Path) -> InboxResult:
    result = InboxResult()
    for path in inbox_files(root):
        try:
            done = autogiro_import(ctx=ctx, path=path)
        except DomainError as error:
            result.refused[path.name] = error.message
            continue
        if not done.already:
            result.imported.append(path.name)
    return result
