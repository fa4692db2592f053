"""Replace one ``## `` section of a shared Markdown file (docs/benchmarks.md), leaving the others as they are.

Each benchmark writes its own section; running one never touches what another measured.
"""

from __future__ import annotations

from pathlib import Path

NEW_FILE = "# Benchmarks\n\nMeasured numbers. Each section names the command that produced it.\n"
"""How docs/benchmarks.md starts when a benchmark writes it first."""


def replace_section(path: Path, heading: str, section: str, new_file: str) -> None:
    """Put ``section`` (which starts with the line ``heading``) in place of the file's section under that
    heading, up to the next ``## `` heading; append it when there is none. ``new_file`` starts a missing file."""
    text = path.read_text(encoding="utf-8") if path.exists() else new_file
    lines = text.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        new = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = lines[end:]
        new = "\n".join([*lines[:start], section.rstrip("\n"), *([""] + tail if tail else [])]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
