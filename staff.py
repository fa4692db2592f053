"""Staff entry point for what is not an ingest: the trash, the action log and staff accounts.

``python staff.py --help`` lists the commands. Removing and restoring change the knowledge folder only;
``python ingest.py`` then publishes (or holds) the result, as after any edit.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from bot.catalog import UploadRefused, dependents, file_hash, remove_document, trash_for
from bot.credentials import CredentialsError, delete_account, write_account
from bot.settings import Settings
from bot.settings_check import SettingsInvalid, load_settings
from bot.staff_log import Action, StaffLog, cli_user
from bot.trash import TrashError

PUBLISH_HINT = "Run `python ingest.py` to publish the change."


def _trash(settings: Settings, args: argparse.Namespace) -> int:
    items = trash_for(settings).items()
    if not items:
        print(f"The trash is empty (documents are kept {settings.trash_days} days).")
    for item in items:
        removed, until = f"{item.removed_at:%Y-%m-%d %H:%M} UTC", f"{item.expires_at:%Y-%m-%d}"
        print(f"{item.name}\t{item.original}\tremoved {removed}\tuntil {until}")
    return 0


def _remove(settings: Settings, args: argparse.Namespace) -> int:
    found = dependents(settings, args.name)
    for entry in found.faq:
        print(f"FAQ entry '{entry.id}' cites it: {entry.question}")
    for check in found.checks:
        print(f"Check question expects it: {check.question}")
    if found.problem:
        print(f"Unknown which FAQ entries cite it: {found.problem}")
    if found.any:
        print("The next ingest will hold the new index until it is published with --force.")
    if not args.yes and input(f"Move {args.name} to the trash? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing was removed.")
        return 1
    digest = file_hash(settings, args.name)
    try:
        item = remove_document(settings, args.name)
    except (UploadRefused, TrashError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    StaffLog(settings.data_dir, settings.retention_days).record(
        cli_user(), Action.REMOVE, document=args.name, content_hash=digest, outcome=f"moved to trash as {item.name}"
    )
    print(f"Moved {args.name} to the trash as {item.name}. {PUBLISH_HINT}")
    return 0


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    try:
        item = trash_for(settings).restore(args.name)
    except TrashError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    StaffLog(settings.data_dir, settings.retention_days).record(
        cli_user(), Action.RESTORE, document=item.original, content_hash=file_hash(settings, item.original)
    )
    print(f"Restored {item.original}. {PUBLISH_HINT}")
    return 0


def _log(settings: Settings, args: argparse.Namespace) -> int:
    for e in StaffLog(settings.data_dir, settings.retention_days).entries(args.limit):
        print("\t".join([e.time, e.user, e.action, e.document, e.content_hash[:12], e.index_version, e.outcome]))
    return 0


def _credentials_file(settings: Settings, args: argparse.Namespace) -> Path:
    path = args.file or settings.admin_credentials_file
    if path is None:
        raise CredentialsError("set BOT_ADMIN_CREDENTIALS_FILE (or pass --file) to say where accounts are kept")
    return path


def _add_user(settings: Settings, args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.user}: ")
        if getpass.getpass("Again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    try:
        path = _credentials_file(settings, args)
        write_account(path, args.user, password)
    except CredentialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.user} can sign in to the staff page (restart the app to apply). Accounts: {path}")
    return 0


def _remove_user(settings: Settings, args: argparse.Namespace) -> int:
    try:
        delete_account(_credentials_file(settings, args), args.user)
    except CredentialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.user} removed (restart the app to apply).")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("trash", help="list removed documents that can be restored").set_defaults(run=_trash)
    remove = commands.add_parser("remove", help="move a document to the trash (asks first)")
    remove.add_argument("name", help="the document's path in the knowledge folder")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(run=_remove)
    restore = commands.add_parser("restore", help="put a removed document back")
    restore.add_argument("name", help="its name in the trash, or its original path (the newest copy)")
    restore.set_defaults(run=_restore)
    show = commands.add_parser("log", help="print the staff action log, newest first")
    show.add_argument("--limit", type=int, default=50)
    show.set_defaults(run=_log)
    for name, run, text in (
        ("add-user", _add_user, "add a staff account, or change its password"),
        ("remove-user", _remove_user, "remove a staff account"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("user")
        command.add_argument("--file", type=Path, help="credentials file (default: BOT_ADMIN_CREDENTIALS_FILE)")
        if run is _add_user:
            command.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        command.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsInvalid as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return args.run(settings, args)


if __name__ == "__main__":
    sys.exit(main())
