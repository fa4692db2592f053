"""The staff page at ``/admin`` (its own Gradio app, behind its own login): documents (``staff_documents``),
insights.

With no credentials configured the page only says how to enable it; no staff action exists on it then.
The patient chat and the REST API have no route to any of this.
"""

from __future__ import annotations

import re
from typing import Any

import gradio as gr
import pandas as pd
import yaml

from bot.embedding import Embedder
from bot.insights import Insights
from bot.settings import Settings
from bot.staff_log import StaffLog
from bot.stores import IndexStore
from bot.web.staff_documents import build_documents_tab

CLOSED = """# Staff page is closed

Set `BOT_ADMIN_USER` and `BOT_ADMIN_PASSWORD` (environment or `.env`) and restart the app to enable it.
Until then, staff can update documents in `knowledge/` and run `python ingest.py`."""
INSIGHTS_OFF = (
    "Insights are off: nothing about patients is stored. Set `BOT_FEEDBACK_ENABLED=true` to record redacted "
    "questions, reply kinds and feedback (see docs/privacy.md)."
)


def build_closed_admin() -> gr.Blocks:
    with gr.Blocks(title="Staff page") as closed:
        gr.Markdown(CLOSED, elem_id="admin-closed")
    return closed


def faq_draft(question: str) -> str:
    """A draft ``faq.yaml`` entry for a question the documents did not answer, for staff to complete."""
    slug = re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-")[:48] or "new-question"
    entry = {
        "id": slug,
        "question": question,
        "alternates": [],
        "answer": "TODO: write the answer in plain words, from the document named below.",
        "source": "TODO-document.md",
        "section": "TODO: the section the answer comes from",
    }
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)


def _plots(counts: list[tuple[str, str, int]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Counts per day and kind as a table, plus volume and answer rate per day for the plots."""
    table = pd.DataFrame(counts, columns=["day", "kind", "replies"])
    if table.empty:
        empty = pd.DataFrame({"day": pd.to_datetime([]), "replies": [], "answer rate": []})
        return table, empty[["day", "replies"]], empty[["day", "answer rate"]]
    table["day"] = pd.to_datetime(table["day"])
    per_day = table.groupby("day")["replies"].sum()
    answered = table[table["kind"] == "answer"].groupby("day")["replies"].sum().reindex(per_day.index, fill_value=0)
    volume = per_day.reset_index()
    rate = (answered / per_day).rename("answer rate").reset_index()
    shown = table.assign(day=table["day"].dt.strftime("%Y-%m-%d"))
    return shown, volume, rate


def build_admin(
    settings: Settings,
    store: IndexStore,
    insights: Insights,
    embedder: Embedder,
    staff_log: StaffLog | None = None,
) -> gr.Blocks:
    staff_log = staff_log or StaffLog(settings.data_dir, settings.retention_days)

    def insight_views() -> tuple[Any, ...]:
        insights.purge()
        table, volume, rate = _plots(insights.daily_counts())
        gaps = [list(row) for row in insights.gaps()]
        topics = [[t.label, t.count] for t in insights.topics(embedder.encode)]
        csv_path = settings.data_dir / "insights-export.csv"
        csv_path.write_text(insights.export_csv(), encoding="utf-8")
        questions = sorted({str(row[1]) for row in gaps})
        status = "" if insights.enabled else INSIGHTS_OFF
        return status, table, volume, rate, topics, gaps, gr.Dropdown(choices=questions, value=None), str(csv_path)

    def draft(question: str | None) -> str:
        return faq_draft(question) if question else ""

    with gr.Blocks(title=f"{settings.clinic_name}: staff") as admin:
        with gr.Tab("Documents"):
            build_documents_tab(admin, settings, store, insights, embedder, staff_log)
        with gr.Tab("Insights") as insights_tab:
            off = gr.Markdown(elem_id="insights-status")
            refresh = gr.Button("Refresh", elem_id="refresh-insights")
            with gr.Row():
                volume_plot = gr.LinePlot(x="day", y="replies", title="Questions per day", height=240)
                rate_plot = gr.LinePlot(x="day", y="answer rate", title="Answer rate per day", y_lim=[0, 1], height=240)
            counts = gr.Dataframe(
                headers=["day", "kind", "replies"], label="Replies per day and kind", interactive=False
            )
            topics = gr.Dataframe(headers=["topic", "questions"], label="Top asked topics", interactive=False)
            gaps = gr.Dataframe(
                headers=["time", "question", "kind", "rating", "comment"],
                label="Knowledge gaps: unanswered and disliked",
                interactive=False,
                wrap=True,
                elem_id="gaps",
            )
            with gr.Row():
                gap_choice = gr.Dropdown(label="Question", choices=[], scale=3)
                draft_button = gr.Button("Draft FAQ entry", scale=1)
            draft_yaml = gr.Code(language="yaml", label="Draft for knowledge/faq.yaml (complete it, then add it)")
            export = gr.File(label="CSV export", interactive=False)
            views = [off, counts, volume_plot, rate_plot, topics, gaps, gap_choice, export]
            refresh.click(insight_views, None, views, api_name="insights")
            insights_tab.select(insight_views, None, views, api_visibility="private")
            draft_button.click(draft, gap_choice, draft_yaml, api_name="draft_faq")
    return admin
