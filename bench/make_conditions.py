"""Write ``bot/data/conditions.txt``: names of medical conditions, from the MedQuAD question titles.

    .venv/bin/python -m bench.make_conditions [--data ../shared/bench/medquad]

MedQuAD (NIH question-answer pairs, CC BY 4.0) asks "What is (are) <condition> ?" for about ten thousand
conditions. Answering uses the list to notice when a patient names a condition the clinic's documents never
mention (Hashimoto's, celiac disease), so that it says so instead of answering about something else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import PROJECT_ROOT

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "bench" / "medquad"
TARGET = PROJECT_ROOT / "bot" / "data" / "conditions.txt"
_TITLE = re.compile(r"^What (?:is|are) \(are\) (?P<name>.+?) ?\?$")
HEADER = (
    "# Condition names from MedQuAD question titles (NIH; CC BY 4.0, https://github.com/abachaa/MedQuAD).\n"
    "# Written by `python -m bench.make_conditions`; one name per line, lower case.\n"
)


def names(queries: Path) -> list[str]:
    found: set[str] = set()
    for line in queries.read_text(encoding="utf-8").splitlines():
        match = _TITLE.match(json.loads(line)["question"].strip())
        if match:
            name = " ".join(match.group("name").lower().replace("’", "'").split())
            if 3 <= len(name) <= 60 and not any(ch.isdigit() for ch in name[:1]):
                found.add(name)
    return sorted(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    found = names(args.data / "queries.jsonl")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(HEADER + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} condition names written to {TARGET.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
