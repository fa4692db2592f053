"""The staff page at ``/admin`` (its own Gradio app, behind its own login): documents, uploads, re-ingest.

With no credentials configured the page only says how to enable it; no staff action exists on it then.
The patient chat and the REST API have no route to any of this.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from bot.catalog import UploadRefused, document_statuses, remove_document, save_upload
from bot.ingestion import IngestBusy, ingest
from bot.settings import Settings
from bot.stores import IndexStore

CLOSED = """# Staff page is closed

Set `BOT_ADMIN_USER` and `BOT_ADMIN_PASSWORD` (environment or `.env`) and restart the app to enable it.
Until then, staff can update documents in `knowledge/` and run `python ingest.py`."""
COLUMNS = ["document", "status", "hash", "chunks", "reviewed", "review by"]


def build_closed_admin() -> gr.Blocks:
    with gr.Blocks(title="Staff page") as closed:
        gr.Markdown(CLOSED, elem_id="admin-closed")
    return closed


def build_admin(settings: Settings, store: IndexStore) -> gr.Blocks:
    def table() -> list[list[object]]:
        return [
            [r.path, r.status, r.content_hash, r.chunks, r.reviewed, r.review_by]
            for r in document_statuses(settings, store)
        ]

    def names() -> gr.Dropdown:
        return gr.Dropdown(choices=[row[0] for row in table()], value=None)

    def run_ingest(progress: gr.Progress = gr.Progress(track_tqdm=True)) -> str:  # noqa: B008 (Gradio's idiom)
        progress(0, desc="Reading documents")
        try:
            report = ingest(settings, progress=True, store=store)
        except IngestBusy as exc:
            return f"**Not started:** {exc}"
        return f"```\n{report.table()}\n```"

    def upload(files: list[str] | None) -> tuple[str, list[list[object]], gr.Dropdown]:
        messages = []
        for path in files or []:
            name = Path(path).name
            try:
                save_upload(settings, name, Path(path).read_bytes())
                messages.append(f"- Saved **{name}**.")
            except UploadRefused as exc:
                messages.append(f"- Refused: {exc}")
        report = run_ingest() if any(m.startswith("- Saved") for m in messages) else ""
        return "\n".join(messages) + "\n\n" + report, table(), names()

    def remove(name: str | None) -> tuple[str, list[list[object]], gr.Dropdown]:
        if not name:
            return "Choose a document to remove.", table(), names()
        try:
            remove_document(settings, name)
        except UploadRefused as exc:
            return f"Refused: {exc}", table(), names()
        return f"Removed **{name}**.\n\n" + run_ingest(), table(), names()

    def reingest() -> tuple[str, list[list[object]]]:
        return run_ingest(), table()

    with gr.Blocks(title=f"{settings.clinic_name}: staff") as admin:
        gr.Markdown(
            f"# Staff: {settings.clinic_name}\nDocuments in the knowledge folder and their status in the live index."
        )
        documents = gr.Dataframe(headers=COLUMNS, value=table, interactive=False, elem_id="documents", wrap=True)
        with gr.Row():
            files = gr.File(
                label="Upload documents (.md, .txt, .html, .pdf, .docx, faq.yaml)",
                file_count="multiple",
                file_types=[".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".yaml"],
                type="filepath",
            )
            with gr.Column():
                choice = gr.Dropdown(label="Document", choices=[row[0] for row in table()], elem_id="remove-choice")
                remove_button = gr.Button("Remove document", variant="stop")
                ingest_button = gr.Button("Re-ingest now", variant="primary", elem_id="reingest")
        report = gr.Markdown(elem_id="report")
        files.upload(upload, files, [report, documents, choice], api_name="upload")
        remove_button.click(remove, choice, [report, documents, choice], api_name="remove")
        ingest_button.click(reingest, None, [report, documents], api_name="reingest")
    return admin
