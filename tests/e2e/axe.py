"""The accessibility scan: axe-core (vendored in ``fixtures/axe.min.js``) run in a page the
browser tests have open, against WCAG 2.1 A and AA."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "fixtures" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_findings(page: Any) -> list[str]:
    """The serious and critical findings on ``page`` as it is now, one line each: the rule,
    its impact and help, and up to three of the elements it found."""
    # Evaluated through the browser's debugging protocol, so the page's CSP does not stop it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    result = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        WCAG_TAGS,
    )
    return [
        f"{found['id']} ({found['impact']}): {found['help']} – "
        + "; ".join(" ".join(map(str, node["target"])) for node in found["nodes"][:3])
        for found in result["violations"]
        if found["impact"] in FAILING
    ]


_WIDEST = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth + 1) return null;
  const edge = window.innerWidth + 1;
  const reach = (e) => Math.max(
    e.getBoundingClientRect().right,
    getComputedStyle(e).overflowX === "visible"
      ? e.getBoundingClientRect().left + e.scrollWidth : 0);
  const wide = [...document.body.querySelectorAll("*")].filter(
    (e) => reach(e) > edge && [...e.children].every((c) => reach(c) <= edge));
  return wide.slice(0, 3).map((e) =>
    e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " (" + Math.round(reach(e)) + " px)");
}"""


def wider_than_screen(page: Any) -> list[str] | None:
    """None when the page does not scroll sideways (a page usable at 360 px does not), else the
    innermost elements that reach past the screen's edge (at most three)."""
    widest = page.evaluate(_WIDEST)
    return None if widest is None else list(widest)
