"""The staff page at ``/admin`` (its own Gradio app, behind its own login): documents (``staff_documents``),
insights.

With no credentials configured the page only says how to enable it; no staff action exists on it then.
The patient chat and the REST API have no route to any of this.
"""

from __future__ import annotations

import re
from typing import Any

import gradio as gr
import yaml

from bot.embedding import Embedder
from bot.insights import Insights
from bot.settings import Settings
from bot.staff_log import StaffLog
from bot.stores import IndexStore
from bot.web.charts import NO_DATA, answer_rate_chart, volume_chart
from bot.web.staff_documents import build_documents_tab

CLOSED = """# Staff page is closed

Set `BOT_ADMIN_USER` and `BOT_ADMIN_PASSWORD` (environment or `.env`) and restart the app to enable it.
Until then, staff can update documents in `knowledge/` and run `python ingest.py`."""
INSIGHTS_OFF = (
    "Insights are off: nothing about patients is stored. Set `BOT_FEEDBACK_ENABLED=true` to record redacted "
    "questions, reply kinds and feedback (see docs/privacy.md)."
)
DRAFT_HINT = '# Choose a question above and press "Draft FAQ entry": a draft for knowledge/faq.yaml appears here.'
GAP_COLUMNS = ["time", "question", "kind", "rating", "comment"]
SIGN_OUT_PATH = "/admin/logout"  # Gradio's own: forgets the staff session and shows the login page again
ADMIN_CSS = """
/* (Colours that pass WCAG AA come from the shared theme, bot/web/theme.py.) */
#staff-header { align-items: center; }
#staff-header h1 { margin: 0; font-size: clamp(1.3rem, 4vw, 1.8rem); }
#sign-out { flex: none; }
.chart img { display: block; width: 100%; max-width: 640px; height: auto; border: 1px solid #e5e7eb;
  border-radius: 8px; }
.chart h2 { margin: 0 0 6px; font-size: 1.1rem; }
.chart .no-data { margin: 0; padding: 32px 16px; border: 1px dashed #9ca3af; border-radius: 8px; color: #374151;
  text-align: center; }
.dark .chart .no-data { color: #e5e7eb; }
/* Tables keep to the page's width: long questions and comments wrap instead of running off the edge. */
#gaps table, #documents table, #trash table, #checks table, #staff-log table { table-layout: fixed; width: 100%; }
#gaps td, #gaps th, #documents td, #documents th, #trash td, #trash th, #checks td, #checks th,
#staff-log td, #staff-log th { white-space: normal; overflow-wrap: anywhere; }
"""


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


def _minute(timestamp: object) -> str:
    """A stored ISO time as staff read it: "2026-11-27 15:13" (UTC)."""
    return str(timestamp)[:16].replace("T", " ")


def chart_views(counts: list[tuple[str, str, int]]) -> tuple[str, str]:
    """The two Insights charts as Markdown (a titled SVG image each), or the empty-state message."""
    empty = f'## {{title}}\n\n<p class="no-data">{NO_DATA}</p>'
    volume, rate = volume_chart(counts), answer_rate_chart(counts)
    return (
        volume.markdown("Questions per day") if volume else empty.format(title="Questions per day"),
        rate.markdown("Answer rate per day") if rate else empty.format(title="Answer rate per day"),
    )


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
        counts = insights.daily_counts()
        table = [[str(day), str(kind), int(n)] for day, kind, n in counts]
        volume, rate = chart_views(counts)
        gaps = [
            [_minute(time), question, str(kind).replace("_", " "), *rest]
            for time, question, kind, *rest in insights.gaps()
        ]
        topics = [[t.label, t.count] for t in insights.topics(embedder.encode)]
        csv_path = settings.data_dir / "insights-export.csv"
        csv_path.write_text(insights.export_csv(), encoding="utf-8")
        questions = sorted({str(row[1]) for row in gaps})
        status = "" if insights.enabled else INSIGHTS_OFF
        return status, table, volume, rate, topics, gaps, gr.Dropdown(choices=questions, value=None), str(csv_path)

    def draft(question: str | None) -> str:
        return faq_draft(question) if question else DRAFT_HINT

    with gr.Blocks(title=f"{settings.clinic_name}: staff") as admin:
        with gr.Row(elem_id="staff-header"):
            gr.Markdown(f"# Staff: {settings.clinic_name}", elem_id="staff-title")
            gr.Button("Sign out", link=SIGN_OUT_PATH, size="sm", scale=0, min_width=100, elem_id="sign-out")
        with gr.Tab("Documents"):
            build_documents_tab(admin, settings, store, insights, embedder, staff_log)
        with gr.Tab("Insights") as insights_tab:
            off = gr.Markdown(elem_id="insights-status")
            refresh = gr.Button("Refresh", elem_id="refresh-insights")
            # Charts drawn on the server as SVG (bot/web/charts.py): a plotting library would need eval, which the
            # page's Content-Security-Policy refuses.
            with gr.Row():
                with gr.Column(min_width=300):
                    volume_plot = gr.Markdown(elem_id="volume-chart", elem_classes="chart")
                with gr.Column(min_width=300):
                    rate_plot = gr.Markdown(elem_id="rate-chart", elem_classes="chart")
            counts = gr.Dataframe(
                headers=["day", "kind", "replies"], label="Replies per day and kind", interactive=False
            )
            topics = gr.Dataframe(headers=["topic", "questions"], label="Top asked topics", interactive=False)
            gaps = gr.Dataframe(
                headers=GAP_COLUMNS,
                label="Knowledge gaps: unanswered and disliked",
                interactive=False,
                wrap=True,
                column_widths=["17%", "43%", "13%", "10%", "17%"],
                elem_id="gaps",
            )
            with gr.Row():
                gap_choice = gr.Dropdown(label="Question", choices=[], scale=3)
                draft_button = gr.Button("Draft FAQ entry", scale=1)
            draft_yaml = gr.Code(
                DRAFT_HINT,
                language="yaml",
                label="Draft for knowledge/faq.yaml (complete it, then add it)",
                interactive=True,  # staff complete the draft here before copying it
                wrap_lines=True,
                elem_id="faq-draft",
            )
            export = gr.File(label="CSV export", interactive=False)
            views = [off, counts, volume_plot, rate_plot, topics, gaps, gap_choice, export]
            refresh.click(insight_views, None, views, api_name="insights")
            insights_tab.select(insight_views, None, views, api_visibility="private")
            draft_button.click(draft, gap_choice, draft_yaml, api_name="draft_faq")
    return admin
