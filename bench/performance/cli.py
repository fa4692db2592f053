"""The command line: ``python -m bench.performance [--quick] [--output FILE] [--json FILE] ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench import retrieval

DESCRIPTION = "Speed and footprint on this machine, every figure beside a floor measured in the same run."


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.performance", description=DESCRIPTION)
    p.add_argument("--data", type=Path, default=retrieval.DEFAULT_DATA, help="the converted MedQuAD folder")
    p.add_argument("--quick", action="store_true", help="a smoke run on three documents and a few requests")
    p.add_argument("--full-ingest", action="store_true", help="also ingest and serve all 5,486 documents (slow)")
    p.add_argument("--skip-scale-out", action="store_true", help="leave out the Chroma server run")
    p.add_argument("--output", type=Path, help="Markdown file whose speed section is (re)written")
    p.add_argument("--json", type=Path, help="write all results as JSON to this file ('-' for stdout)")
    p.add_argument("--work-dir", type=Path, help="keep folders, indexes and server logs here (default: temp)")
    return p.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the Markdown section, and write it and the JSON where asked."""
    from bench.performance.report import render_markdown, write_section
    from bench.performance.run import run

    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    results = run(args, argv)
    section = render_markdown(results)
    print(section)
    if args.output is not None:
        write_section(args.output, section)
    if args.json is not None:
        if str(args.json) == "-":
            print(results.to_json())
        else:
            args.json.write_text(results.to_json() + "\n", encoding="utf-8")
    return 0
