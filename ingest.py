"""Staff entry point: re-ingest the knowledge folder. ``python ingest.py --help`` explains the options."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import traceback
from pathlib import Path

from bot.embedding import Embedder
from bot.index import read_active
from bot.ingestion import IngestBusy, IngestReport, ingest
from bot.settings import Settings
from bot.settings_check import SettingsInvalid, load_settings
from bot.staff_log import Action, StaffLog, cli_user
from bot.stores import make_store

EXIT_CODES = (
    "exit codes: 0 all good; 1 published, but some files failed; 2 nothing published (no valid document, "
    "faq.yaml or checks.yaml invalid, invalid settings, or another ingest running); 3 held by the publish gate "
    "(publish with --force); 4 unexpected error (nothing published; the live index keeps serving)"
)
UNEXPECTED = 4
ERROR_LOG = "ingest-error.log"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Index the clinic's documents for the chatbot. Only changed documents are re-embedded; "
        "patients keep being served from the previous index until the new one is complete and has passed the "
        "publish gate (the clinic's check questions). Trash and accounts: python staff.py --help.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--knowledge", type=Path, help="folder of documents (default: BOT_KNOWLEDGE_DIR or knowledge/)")
    parser.add_argument("--rebuild", action="store_true", help="publish a new index even if nothing changed")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.add_argument(
        "--force", action="store_true", help="publish even if the publish gate would hold the index (the held one)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    return parser


def _unexpected(settings: Settings, exc: Exception) -> int:
    """One line for staff, the traceback in the data folder: a failed ingest never touches the live index."""
    log_file = settings.data_dir / ERROR_LOG
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        log_file.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        log_file = None
    try:
        active = read_active(make_store(settings))
        live = f"the live index {active.version} keeps serving" if active else "no index is live yet"
    except Exception:  # the store itself may be what failed
        live = "the live index, if any, is unchanged"
    where = f"; details in {log_file}" if log_file else ""
    print(
        f"error: ingest failed unexpectedly ({exc.__class__.__name__}: {exc}); nothing was published and {live}{where}",
        file=sys.stderr,
    )
    return UNEXPECTED


def _record(settings: Settings, report: IngestReport, force: bool) -> None:
    """The staff action log: a run that changed (or tried to change) what patients get."""
    if report.up_to_date or report.dry_run:
        return
    action = Action.PUBLISH_ANYWAY if report.forced else Action.REINGEST
    StaffLog(settings.data_dir, settings.retention_days).record(
        cli_user(), action, index_version=report.live_version, outcome=report.summary + (" (--force)" if force else "")
    )


def main(argv: list[str] | None = None, embedder: Embedder | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(**({"knowledge_dir": args.knowledge} if args.knowledge else {}))
    except SettingsInvalid as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not settings.knowledge_dir.is_dir():
        print(f"error: knowledge folder {settings.knowledge_dir} does not exist", file=sys.stderr)
        return 2
    try:
        report = ingest(
            settings,
            embedder,
            rebuild=args.rebuild,
            dry_run=args.dry_run,
            force=args.force,
            progress=not args.json and sys.stderr.isatty(),
        )
    except IngestBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # anything else: one clear line, its own exit code
        return _unexpected(settings, exc)
    _record(settings, report, args.force)
    if args.json:
        print(json.dumps({**dataclasses.asdict(report), "exit_code": report.exit_code}, indent=2))
    else:
        print(report.table())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
