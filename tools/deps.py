"""The lock file: every package trygg installs, pinned with its hashes, made from pyproject.toml.

    python tools/deps.py lock    write requirements.lock (uv, one resolution for Linux, macOS
                                 and Windows, Python 3.11 and 3.12; `make lock`)
    python tools/deps.py check   fail when requirements.lock was not made from the dependencies
                                 pyproject.toml declares now (`make install` runs it first)
    python tools/deps.py audit   pip-audit over the lock; fails when a package has a known
                                 vulnerability and when the audit could not be done (`make audit`)

The lock's first lines record a digest of pyproject's dependency declarations (dependencies,
optional dependencies, build requirements, Python versions): a change to any of them without a
new lock is caught before anything is installed. Only the standard library is used, so `check`
runs before the virtual environment exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
DIGEST_PREFIX = "# dependencies-sha256: "
LOWEST_PYTHON = "3.11"
LOCAL_PACKAGE = "autogiro"


def _declarations() -> dict[str, object]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    project = data["project"]
    return {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system": data.get("build-system", {}).get("requires", []),
    }


def _digest() -> str:
    text = json.dumps(_declarations(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _recorded_digest() -> str | None:
    if not LOCK.exists():
        return None
    for line in LOCK.read_text(encoding="utf-8").splitlines()[:10]:
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).strip()
    return None


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def check() -> int:
    if _recorded_digest() == _digest():
        return 0
    print(
        "requirements.lock was not made from pyproject.toml's dependencies as they are now: "
        "run `make lock` and commit requirements.lock.",
        file=sys.stderr,
    )
    return 1


def lock() -> int:
    """Resolve with uv (installed into this environment first if missing) and write the lock."""
    if not Path(_bin("uv")).exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "uv>=0.8,<1"], check=True
        )
    build = _declarations()["build-system"]
    with tempfile.TemporaryDirectory() as tmp:
        build_in = Path(tmp) / "build-system.in"
        build_in.write_text("\n".join(build) + "\n", encoding="utf-8")  # type: ignore[arg-type]
        resolved = subprocess.run(  # noqa: S603 - fixed arguments
            [
                _bin("uv"),
                "pip",
                "compile",
                "pyproject.toml",
                str(build_in),
                "--extra",
                "dev",
                "--universal",
                "--python-version",
                LOWEST_PYTHON,
                "--generate-hashes",
                # The local Autogiro library has no hash to pin: make install installs it
                # from packages/autogiro.
                "--no-emit-package",
                LOCAL_PACKAGE,
                "--no-header",
                "--quiet",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    resolved = resolved.replace(str(build_in), "pyproject.toml [build-system]")
    header = (
        "# Every package of trygg and its dev extra, pinned with hashes, for Linux, macOS\n"
        "# and Windows, Python 3.11 and 3.12. Made by `make lock` (tools/deps.py) from\n"
        "# pyproject.toml; do not edit by hand. `make install` installs exactly this\n"
        "# (pip --require-hashes).\n"
        f"{DIGEST_PREFIX}{_digest()}\n"
    )
    LOCK.write_text(header + resolved, encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)}")
    return 0


def audit() -> int:
    """pip-audit over the locked packages. Success only when every package was looked up and
    none has a known vulnerability; an unreachable service or a package it could not look up
    fails the audit with the reason (never a silent pass)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                _bin("pip-audit"),
                "--strict",
                "--require-hashes",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
                "-r",
                str(LOCK),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PIP_AUDIT_NO_COLOR": "1"},
        )
        findings = json.loads(report.read_text()) if report.exists() else None
    if result.returncode == 0 and findings is not None:
        count = len(findings.get("dependencies", []))
        print(f"pip-audit: {count} locked packages looked up, no known vulnerabilities.")
        return 0
    if findings is not None:
        vulnerable = [d for d in findings.get("dependencies", []) if d.get("vulns")]
        if vulnerable:
            for dep in vulnerable:
                ids = ", ".join(v["id"] for v in dep["vulns"])
                print(f"VULNERABLE {dep['name']} {dep['version']}: {ids}", file=sys.stderr)
            return 1
    reason = next(
        (line for line in result.stderr.splitlines() if line.strip()), "no answer from pip-audit"
    )
    print(
        "pip-audit could NOT audit the locked packages, so nothing is known about their "
        "vulnerabilities: its vulnerability service is not reachable from here or could not "
        f"look every package up.\nFirst error: {reason}",
        file=sys.stderr,
    )
    return 2


def main(argv: list[str]) -> int:
    commands = {"lock": lock, "check": check, "audit": audit}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
