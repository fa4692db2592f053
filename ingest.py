"""Staff entry point: re-ingest the knowledge folder. ``python ingest.py --help`` explains the options."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from bot.ingestion import IngestBusy, ingest
from bot.settings import Settings

EXIT_CODES = "exit codes: 0 all good; 1 index is current but some files failed; 2 nothing valid, nothing published"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Index the clinic's documents for the chatbot. Only changed documents are re-embedded; "
        "patients keep being served from the previous index until the new one is complete.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--knowledge", type=Path, help="folder of documents (default: BOT_KNOWLEDGE_DIR or knowledge/)")
    parser.add_argument("--rebuild", action="store_true", help="publish a new index even if nothing changed")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings(**({"knowledge_dir": args.knowledge} if args.knowledge else {}))
    if not settings.knowledge_dir.is_dir():
        print(f"error: knowledge folder {settings.knowledge_dir} does not exist", file=sys.stderr)
        return 2
    try:
        report = ingest(
            settings, rebuild=args.rebuild, dry_run=args.dry_run, progress=not args.json and sys.stderr.isatty()
        )
    except IngestBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**dataclasses.asdict(report), "exit_code": report.exit_code}, indent=2))
    else:
        print(report.table())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
