"""The staff page's Documents tab: documents and their status, uploads, removal to the trash and restore,
re-ingest, the held index, check questions and the staff action log.

Lifecycle of a change, as staff see it:

1. Upload (checked before it is written) or remove: "Remove document…" opens a confirmation that names the
   document and the FAQ entries and check questions that rely on it; only "Move to trash" acts, and it
   acts on the document the confirmation named (kept in session state, not taken from the dropdown).
2. Every change re-ingests. The report says what the publish gate found; a held index is shown at the top
   with its reasons and "Publish anyway…", which asks once more before publishing exactly that index.
3. Every action is written to the staff action log under the signed-in account.

Each step is also a named endpoint (``/ask_remove`` then ``/move_to_trash``, ``/restore``, ``/reingest``,
``/ask_publish`` then ``/publish_anyway``, ``/add_check``), so a session of ``gradio_client`` goes through
the same two steps as the page.
"""

from __future__ import annotations

import hashlib
import html
import logging
from pathlib import Path
from typing import Any

import gradio as gr

from bot.catalog import (
    UploadRefused,
    dependents,
    document_statuses,
    faq_notes,
    file_hash,
    remove_document,
    save_upload,
    sections_of,
    trash_for,
)
from bot.embedding import Embedder
from bot.ingestion import IngestBusy, IngestReport, NothingHeld, ingest, publish_held
from bot.insights import Insights
from bot.publish_gate import CHECKS_FILE, CheckQuestion, ChecksError, add_check, load_checks, read_held
from bot.settings import Settings
from bot.staff_log import Action, StaffLog
from bot.stores import IndexStore
from bot.trash import TrashError

log = logging.getLogger(__name__)
DOCUMENTS_INTRO = "Documents in the knowledge folder and their status in the live index."
UPLOAD_HELP = (
    "Uploaded documents are checked (type, name, size; faq.yaml and checks.yaml are validated), saved in the "
    "knowledge folder and indexed at once."
)
COLUMNS = ["document", "status", "hash", "chunks", "reviewed", "review by", "reading grade"]
TRASH_COLUMNS = ["name", "document", "removed (UTC)", "deleted after (UTC)"]
LOG_COLUMNS = ["time (UTC)", "user", "action", "document", "content hash", "index version", "outcome"]
CHECK_COLUMNS = ["question", "document", "section"]
STAFF_CSS = """
#move-to-trash, #confirm-publish { background: #b91c1c; border-color: #991b1b; color: #ffffff; }
#move-to-trash:hover, #confirm-publish:hover { background: #991b1b; }
#confirm-remove, #confirm-publish-box, #held-box { border: 2px solid #b91c1c; border-radius: 8px; padding: 12px; }
"""
"""The staff page's own CSS: the theme draws a "stop" button pale, and these two act at once on what patients
get, so they look it (white on #b91c1c: contrast 6.5:1). Scoped by element id."""


def _md(text: str) -> str:
    """Text from documents or files shown in Markdown: tags escaped."""
    return html.escape(text, quote=False)


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def build_documents_tab(
    page: gr.Blocks, settings: Settings, store: IndexStore, insights: Insights, embedder: Embedder, staff_log: StaffLog
) -> None:
    """Render the tab's contents into the current ``gr.Tab`` of ``page`` and wire its events."""
    trash = trash_for(settings)

    # --- views -------------------------------------------------------------------------------------------

    def table() -> list[list[object]]:
        return [
            [r.path, r.status, r.content_hash, r.chunks, r.reviewed, r.review_by, "" if r.grade is None else r.grade]
            for r in document_statuses(settings, store)
        ]

    def names() -> gr.Dropdown:
        # value=None: nothing is pre-selected, so no click acts on a document staff did not choose
        return gr.Dropdown(choices=[row[0] for row in table() if not str(row[1]).startswith("removed")], value=None)

    def held_view() -> tuple[gr.Column, str]:
        held = read_held(settings)
        if held is None:
            return gr.Column(visible=False), ""
        reasons = "\n".join(f"- {_md(reason)}" for reason in held.reasons)
        text = (
            f"### Held: index {held.info.version} is not published\n"
            f"Built {held.held_at:%Y-%m-%d %H:%M} UTC; patients are still answered from "
            f"{held.live_version or 'no index'}. It is held because:\n\n{reasons}\n\n"
            "Fix the documents (or restore one from the trash) and re-ingest, or publish it anyway."
        )
        return gr.Column(visible=True), text

    def trash_view() -> tuple[list[list[str]], gr.Dropdown]:
        items = trash.items()
        rows = [
            [item.name, item.original, f"{item.removed_at:%Y-%m-%d %H:%M}", f"{item.expires_at:%Y-%m-%d}"]
            for item in items
        ]
        labels = [(f"{item.original} (removed {item.removed_at:%Y-%m-%d %H:%M} UTC)", item.name) for item in items]
        return rows, gr.Dropdown(choices=labels, value=None)

    def log_view() -> list[list[str]]:
        return [
            [e.time, e.user, e.action, e.document, e.content_hash[:12], e.index_version, e.outcome]
            for e in staff_log.entries()
        ]

    def checks_view() -> list[list[str]]:
        try:
            checks = load_checks(settings.knowledge_dir / CHECKS_FILE)
        except ChecksError as exc:
            return [[f"{CHECKS_FILE} cannot be read: {exc}", "", ""]]
        return [[c.question, c.document, c.section or ""] for c in checks]

    def refresh() -> tuple[Any, ...]:
        held_box, held_text = held_view()
        trash_rows, trash_names = trash_view()
        return table(), names(), held_box, held_text, trash_rows, trash_names, log_view()

    # --- actions -----------------------------------------------------------------------------------------

    def run_ingest(user: str | None, **options: bool) -> IngestReport | str:
        """An ingest's report, or a sentence saying why none ran; never an exception on the page."""
        try:
            return ingest(settings, embedder, progress=True, store=store, **options)
        except IngestBusy as exc:
            return f"**Not started:** {exc}"
        except Exception as exc:  # the live index is untouched by a failed ingest: say so and log the details
            log.exception("ingest from the staff page failed")
            staff_log.record(user, Action.REINGEST, outcome=f"failed: {exc.__class__.__name__}: {exc}")
            return (
                f"**Ingest failed unexpectedly** ({exc.__class__.__name__}: {_md(str(exc))}). Nothing was "
                "published; patients are still answered from the live index. Details are in the server log."
            )

    def shown(report: IngestReport | str) -> str:
        return report if isinstance(report, str) else f"```\n{report.table()}\n```"

    def outcome(report: IngestReport | str) -> tuple[str | None, str]:
        """The index serving after an ingest, and the ingest's outcome in a few words."""
        if isinstance(report, str):
            return None, "ingest not run"
        return report.live_version, report.summary

    def upload(files: list[str] | None, request: gr.Request) -> tuple[Any, ...]:
        user, messages, saved = _user(request), [], []
        for path in files or []:
            name = Path(path).name
            data = Path(path).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            try:
                save_upload(settings, name, data)
                messages.append(f"- Saved **{_md(name)}**.")
                saved.append((name, digest))
            except UploadRefused as exc:
                messages.append(f"- Refused: {_md(str(exc))}")
                staff_log.record(user, Action.UPLOAD, document=name, content_hash=digest, outcome=f"refused: {exc}")
        notes = [f"- Note: {_md(note)}" for note in faq_notes(settings)] if saved else []
        report = run_ingest(user) if saved else ""
        version, result = outcome(report) if saved else (None, "")
        for name, digest in saved:
            staff_log.record(
                user, Action.UPLOAD, document=name, content_hash=digest, index_version=version, outcome=result
            )
        text = "\n".join(messages + notes) + ("\n\n" + shown(report) if saved else "")
        return (text, *refresh())

    def ask_remove(name: str | None) -> tuple[Any, ...]:
        if not name:
            return gr.Column(visible=False), "", None, "Choose a document to remove."
        if name not in {row[0] for row in table() if not str(row[1]).startswith("removed")}:
            return gr.Column(visible=False), "", None, f"Refused: '{_md(name)}' is not a document in the folder."
        found = dependents(settings, name)
        lines = [f"### Move **{_md(name)}** to the trash?"]
        if found.problem:
            lines.append(f"Which FAQ entries cite it is unknown: {_md(found.problem)}")
        if found.faq:
            lines.append(f"**{len(found.faq)} curated FAQ answer(s) cite it** and will no longer be given:")
            lines += [f"- `{entry.id}`: {_md(entry.question)}" for entry in found.faq]
        if found.checks:
            lines.append(f"**{len(found.checks)} check question(s) expect it:**")
            lines += [f"- {_md(check.question)}" for check in found.checks]
        if found.any:
            lines.append(
                "The new index will be **held** (patients keep the current answers) until you publish it "
                "anyway or change `faq.yaml`."
            )
        else:
            lines.append("No FAQ entry or check question relies on it.")
        lines.append(f"It can be restored from the trash for {settings.trash_days} days.")
        return gr.Column(visible=True), "\n\n".join(lines), name, ""

    def cancel_remove() -> tuple[Any, ...]:
        return gr.Column(visible=False), "", None, "Nothing was removed."

    def move_to_trash(pending: str | None, request: gr.Request) -> tuple[Any, ...]:
        user = _user(request)
        hidden = (gr.Column(visible=False), "", None)
        if not pending:
            return (*hidden, "Choose a document and confirm first.", *refresh())
        digest = file_hash(settings, pending)
        try:
            item = remove_document(settings, pending)
        except (UploadRefused, TrashError) as exc:
            return (*hidden, f"Refused: {_md(str(exc))}", *refresh())
        report = run_ingest(user)
        version, result = outcome(report)
        staff_log.record(
            user,
            Action.REMOVE,
            document=pending,
            content_hash=digest,
            index_version=version,
            outcome=f"moved to trash as {item.name}; {result}",
        )
        text = f"Moved **{_md(pending)}** to the trash (restorable as `{item.name}`).\n\n" + shown(report)
        return (*hidden, text, *refresh())

    def restore(name: str | None, request: gr.Request) -> tuple[Any, ...]:
        user = _user(request)
        if not name:
            return ("Choose a removed document to restore.", *refresh())
        try:
            item = trash.restore(name)
        except TrashError as exc:
            return (f"Refused: {_md(str(exc))}", *refresh())
        report = run_ingest(user)
        version, result = outcome(report)
        staff_log.record(
            user,
            Action.RESTORE,
            document=item.original,
            content_hash=file_hash(settings, item.original),
            index_version=version,
            outcome=result,
        )
        return (f"Restored **{_md(item.original)}**.\n\n" + shown(report), *refresh())

    def reingest(request: gr.Request, progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple[Any, ...]:  # noqa: B008
        user = _user(request)
        progress(0, desc="Reading documents")
        report = run_ingest(user)
        if isinstance(report, IngestReport) and not report.up_to_date:
            version, result = outcome(report)
            staff_log.record(user, Action.REINGEST, index_version=version, outcome=result)
        return (shown(report), *refresh())

    def ask_publish() -> tuple[Any, ...]:
        held = read_held(settings)
        if held is None:
            return gr.Column(visible=False), "", None
        text = (
            f"Publish **{held.info.version}** now? Patients will be answered from it at once, although "
            f"{len(held.reasons)} finding(s) above say it answers less well than the live index."
        )
        return gr.Column(visible=True), text, held.info.version

    def cancel_publish() -> tuple[Any, ...]:
        return gr.Column(visible=False), "", None

    def publish_anyway(version: str | None, request: gr.Request) -> tuple[Any, ...]:
        user = _user(request)
        hidden = (gr.Column(visible=False), "", None)
        held = read_held(settings)
        if not version or held is None or held.info.version != version:
            return (*hidden, "The held index changed since you confirmed; look again, then publish.", *refresh())
        try:
            published = publish_held(settings, store)
        except (NothingHeld, IngestBusy) as exc:
            return (*hidden, f"Not published: {_md(str(exc))}", *refresh())
        staff_log.record(
            user,
            Action.PUBLISH_ANYWAY,
            index_version=published.info.version,
            outcome=f"published despite {len(published.reasons)} gate finding(s)",
        )
        return (*hidden, f"Published **{published.info.version}**.", *refresh())

    def document_sections(name: str | None) -> gr.Dropdown:
        return gr.Dropdown(choices=sections_of(settings, name) if name else [], value=None)

    def gap_questions() -> gr.Dropdown:
        questions = sorted({str(row[1]) for row in insights.gaps()}) if insights.enabled else []
        return gr.Dropdown(choices=questions, value=None)

    def add_check_question(
        question: str | None, document: str | None, section: str | None, request: gr.Request
    ) -> tuple[str, list[list[str]], list[list[str]]]:
        if not question or not document:
            return "Give a question and the document that should answer it.", checks_view(), log_view()
        try:
            check = CheckQuestion(question=question.strip(), document=document, section=section or None)
            add_check(settings.knowledge_dir, check)
        except (ValueError, ChecksError) as exc:
            return f"Not added: {_md(str(exc))}", checks_view(), log_view()
        staff_log.record(_user(request), Action.ADD_CHECK, document=document, outcome=f"'{check.question}'")
        text = f"Added. Every new index must answer **{_md(check.question)}** from {_md(document)}" + (
            f" › {_md(section)}." if section else "."
        )
        return text, checks_view(), log_view()

    # --- layout ------------------------------------------------------------------------------------------

    gr.Markdown(DOCUMENTS_INTRO)
    with gr.Column(visible=False, elem_id="held-box") as held_box:
        held_text = gr.Markdown(elem_id="held")
        ask_publish_button = gr.Button("Publish anyway…", variant="secondary", elem_id="publish-anyway")
        with gr.Column(visible=False, elem_id="confirm-publish-box") as publish_panel:
            publish_text = gr.Markdown(elem_id="confirm-publish-text")
            with gr.Row():
                publish_button = gr.Button("Publish this index", variant="stop", elem_id="confirm-publish")
                cancel_publish_button = gr.Button("Cancel", elem_id="cancel-publish")
    documents = gr.Dataframe(headers=COLUMNS, value=table, interactive=False, elem_id="documents", wrap=True)
    with gr.Row():
        with gr.Column():
            # A button rather than a drop zone: its accessible name is the words it shows.
            files = gr.UploadButton(
                "Upload documents (.md, .txt, .html, .pdf, .docx, faq.yaml, checks.yaml)",
                file_count="multiple",
                file_types=[".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".yaml"],
                type="filepath",
                elem_id="upload",
            )
            gr.Markdown(UPLOAD_HELP)
        with gr.Column():
            # names are checked by the action itself; the choices only help (another session may have changed them)
            choice = gr.Dropdown(
                label="Document", choices=[], value=None, allow_custom_value=True, elem_id="remove-choice"
            )
            remove_button = gr.Button("Remove document…", variant="secondary", elem_id="remove")
            ingest_button = gr.Button("Re-ingest now", variant="primary", elem_id="reingest")
    with gr.Column(visible=False, elem_id="confirm-remove") as remove_panel:
        remove_text = gr.Markdown(elem_id="confirm-remove-text")
        with gr.Row():
            trash_button = gr.Button("Move to trash", variant="stop", elem_id="move-to-trash")
            cancel_button = gr.Button("Cancel", elem_id="cancel-remove")
    report = gr.Markdown(elem_id="report")
    pending = gr.State(None)  # the document the open confirmation names
    pending_version = gr.State(None)  # the held index the open confirmation names
    with gr.Accordion(f"Trash (kept {settings.trash_days} days)", open=False):
        trash_table = gr.Dataframe(headers=TRASH_COLUMNS, interactive=False, elem_id="trash")
        with gr.Row():
            trash_choice = gr.Dropdown(
                label="Removed document", choices=[], value=None, allow_custom_value=True, elem_id="trash-choice"
            )
            restore_button = gr.Button("Restore", elem_id="restore")
    with gr.Accordion("Check questions (asked of every new index before it goes live)", open=False):
        gr.Markdown(
            "Besides every FAQ question, each new index must still answer these from the section named, if the "
            "live index does; otherwise it is held. Pick a knowledge gap from Insights (redacted patient "
            "questions: adding one copies it into `checks.yaml`, clinic content kept until removed) or type one."
        )
        checks_table = gr.Dataframe(headers=CHECK_COLUMNS, value=checks_view, interactive=False, elem_id="checks")
        with gr.Row():
            check_question = gr.Dropdown(
                label="Question", choices=[], value=None, allow_custom_value=True, elem_id="check-question", scale=3
            )
            check_document = gr.Dropdown(
                label="Document", choices=[], value=None, allow_custom_value=True, elem_id="check-document"
            )
            check_section = gr.Dropdown(
                label="Section", choices=[], value=None, allow_custom_value=True, elem_id="check-section"
            )
        add_check_button = gr.Button("Add check question", elem_id="add-check")
    with gr.Accordion("Staff action log", open=True):
        log_table = gr.Dataframe(headers=LOG_COLUMNS, value=log_view, interactive=False, elem_id="staff-log", wrap=True)

    views = [documents, choice, held_box, held_text, trash_table, trash_choice, log_table]
    files.upload(upload, files, [report, *views], api_name="upload")
    remove_button.click(ask_remove, choice, [remove_panel, remove_text, pending, report], api_name="ask_remove")
    cancel_button.click(cancel_remove, None, [remove_panel, remove_text, pending, report], api_name="cancel_remove")
    trash_button.click(
        move_to_trash, pending, [remove_panel, remove_text, pending, report, *views], api_name="move_to_trash"
    )
    restore_button.click(restore, trash_choice, [report, *views], api_name="restore")
    ingest_button.click(reingest, None, [report, *views], api_name="reingest")
    ask_publish_button.click(ask_publish, None, [publish_panel, publish_text, pending_version], api_name="ask_publish")
    cancel_publish_button.click(
        cancel_publish, None, [publish_panel, publish_text, pending_version], api_name="cancel_publish"
    )
    publish_button.click(
        publish_anyway,
        pending_version,
        [publish_panel, publish_text, pending_version, report, *views],
        api_name="publish_anyway",
    )
    check_document.change(document_sections, check_document, check_section, api_visibility="private")
    add_check_button.click(
        add_check_question,
        [check_question, check_document, check_section],
        [report, checks_table, log_table],
        api_name="add_check",
    )

    def on_load() -> tuple[Any, ...]:
        docs = gr.Dropdown(choices=[row[0] for row in table()], value=None)
        return (*refresh(), checks_view(), gap_questions(), docs)

    page.load(on_load, None, [*views, checks_table, check_question, check_document], api_visibility="private")
