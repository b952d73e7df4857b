"""The README's table of supported actions is the action registry, and every real WHMCS action the
registry lacks answers that mockwhmcs does not implement it yet.

Run ``python -m tests.test_supported_actions`` to rewrite the README's table from the registry.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from mockwhmcs.actions.known import KNOWN, WHMCS_ACTIONS
from mockwhmcs.actions.registry import ACTIONS

README = Path(__file__).resolve().parents[1] / "README.md"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "whmcs" / "reference" / "api-reference"
START, END = "<!-- supported-actions:start -->", "<!-- supported-actions:end -->"


def supported_actions_table() -> str:
    """One row per registered action (aliases under their action), sorted by family then name."""
    entries = {id(entry): entry for entry in ACTIONS.values()}.values()
    aliases: dict[str, list[str]] = {}
    for key, entry in ACTIONS.items():
        if key != entry.key:
            aliases.setdefault(entry.key, []).append(key)
    rows = ["| Action | Family | Default format | Changes state |", "| --- | --- | --- | --- |"]
    for entry in sorted(entries, key=lambda e: (e.handler.__module__, e.name)):
        family = entry.handler.__module__.rsplit(".", 1)[1]
        also = f" (also {', '.join(f'`{a}`' for a in sorted(aliases.get(entry.key, [])))})" \
            if entry.key in aliases else ""
        rows.append(f"| {entry.name}{also} | `{family}.py` | {'xml' if entry.list_style else 'nvp'} "
                    f"| {'yes' if entry.mutates else 'no'} |")
    return "\n".join(rows)


def _readme_table(text: str) -> str:
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    assert match, f"README.md lacks the {START} … {END} markers"
    return match.group(1).rstrip("\n")


def test_readme_lists_exactly_the_registered_actions() -> None:
    assert _readme_table(README.read_text(encoding="utf-8")) == supported_actions_table(), (
        "README's supported-actions table differs from the registry: "
        "run python -m tests.test_supported_actions"
    )


def test_every_registered_action_is_a_real_whmcs_action() -> None:
    assert {entry.key for entry in ACTIONS.values()} <= set(KNOWN)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="WHMCS's API reference pages are not beside the project")
def test_known_actions_are_the_reference_pages() -> None:
    titles = set()
    for page in REFERENCE.glob("*.md"):
        match = re.search(r'^title = "([^"]+)"', page.read_text(encoding="utf-8"), re.M)
        if match and match.group(1) != "API Reference":
            titles.add(match.group(1))
    assert set(WHMCS_ACTIONS) == titles


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    block = f"{START}\n{_readme_table(text)}\n" if _readme_table(text) else f"{START}\n"
    README.write_text(text.replace(block, f"{START}\n{supported_actions_table()}\n"), encoding="utf-8")
    sys.exit(0)
