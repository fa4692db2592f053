"""The patient chat page (Gradio): clinic name, a disclaimer banner that never scrolls away, example
questions, and replies with their numbered sources in a collapsible block and like/dislike buttons."""

from __future__ import annotations

import html
import logging
from typing import Any

import gradio as gr

from bot.conversation import Assistant
from bot.index import IndexNotReady
from bot.inputs import InputRejected, Turn
from bot.insights import Insights
from bot.replies import Answer
from bot.sanitize import html_fragment, markdown_text
from bot.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)

CSS = """
#disclaimer-banner { position: sticky; top: 0; z-index: 10; border-left: 4px solid #b45309;
  background: #fffbeb; color: #451a03; padding: 10px 14px; border-radius: 6px; }
#disclaimer-banner p { margin: 0; }
.reply-disclaimer { font-size: 0.85em; color: #57534e; }
details.sources summary { cursor: pointer; font-weight: 600; }
/* WCAG AA in the light theme: the Soft theme's indigo-500 is below 4.5:1 behind the Ask button's white text and as
   label text ("Chat", "Example questions"); indigo-700 passes. The dark theme's own colours already do. */
body:not(.dark) .gradio-container { --button-primary-background-fill: #4338ca;
  --button-primary-background-fill-hover: #3730a3; --block-label-text-color: #4338ca; }
"""
UNAVAILABLE = "Sorry, the assistant is not available right now. Please try again in a moment, or contact the clinic."


def message_text(content: Any) -> str:
    """Plain text of a Gradio message, whether it arrives as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, list):
        return " ".join(message_text(part) for part in content)
    return ""


def render_reply(answer: Answer) -> str:
    """Markdown for one reply: the answer, its sources (collapsible), and the disclaimer, always."""
    parts = [answer.answer]
    if answer.citations:
        items = "".join(
            "<li><b>[{id}] {title}</b>{section}{reviewed}<br>{snippet}</li>".format(
                id=c.id,
                title=html.escape(c.title),
                section=f" — {html.escape(c.section)}" if c.section else "",
                reviewed=f" <i>(reviewed {html.escape(c.reviewed)})</i>" if c.reviewed else "",
                snippet=html.escape(c.snippet),
            )
            for c in answer.citations
        )
        summary = f"<summary>Sources ({len(answer.citations)})</summary>"
        parts.append(f'<details class="sources">{summary}<ol class="source-list">{items}</ol></details>')
    if answer.suggestions:
        parts.append("**You could also ask:** " + " · ".join(html.escape(s) for s in answer.suggestions))
    parts.append(f'<p class="reply-disclaimer"><i>{html.escape(answer.disclaimer)}</i></p>')
    return html_fragment("\n\n".join(parts))


def _client(request: gr.Request | None) -> str:
    return request.client.host if request is not None and request.client is not None else "unknown"


def build_chat(assistant: Assistant, insights: Insights, limiter: RateLimiter | None = None) -> gr.Blocks:
    settings = assistant.settings
    limiter = limiter or RateLimiter("")
    footer = f'<p class="reply-disclaimer"><i>{html.escape(settings.disclaimer)}</i></p>'

    def reply_for(message: str, turns: list[Turn], request: gr.Request | None) -> tuple[str, str | None]:
        """The rendered reply and its id (None when no reply was made)."""
        retry_after = limiter.hit(_client(request))
        if retry_after is not None:
            return html_fragment(f"Sorry, {html.escape(limiter.reason(retry_after))}.\n\n{footer}"), None
        try:
            answer = assistant.ask(message or "", turns)
        except InputRejected as exc:
            text = settings.empty_question_message if exc.problem == "empty" else f"Sorry, {exc.reason}."
            return html_fragment(f"{html.escape(text)}\n\n{footer}"), None
        except IndexNotReady:
            return html_fragment(f"{UNAVAILABLE}\n\n{footer}"), None
        return render_reply(answer), answer.reply_id

    def respond(
        message: str, history: list[dict[str, Any]], reply_ids: list[str | None], request: gr.Request
    ) -> tuple[str, list[dict[str, Any]], list[str | None]]:
        turns = [Turn(m.get("role", "user"), message_text(m.get("content"))) for m in history or []]
        reply, reply_id = reply_for(message, turns[-settings.max_history_messages :], request)
        shown = markdown_text(message or "")
        messages = [*(history or []), {"role": "user", "content": shown}, {"role": "assistant", "content": reply}]
        # one id per message, so that a like on message i finds its reply
        return "", messages, [*(reply_ids or []), None, reply_id]

    def ask(question: str, request: gr.Request) -> dict[str, Any]:
        """Answer one question, as the REST API does (for gradio_client)."""
        retry_after = limiter.hit(_client(request))
        if retry_after is not None:
            return {"error": "rate_limited", "message": limiter.reason(retry_after), "disclaimer": settings.disclaimer}
        try:
            return assistant.ask(question).to_dict()
        except InputRejected as exc:
            return {"error": "invalid_question", "message": exc.reason, "disclaimer": settings.disclaimer}

    def feedback(reply_id: str, rating: str, comment: str = "") -> dict[str, Any]:
        """Like ("up") or dislike ("down") a reply by its id, with an optional short comment."""
        if rating not in ("up", "down"):
            return {"ok": False, "message": "rating must be 'up' or 'down'"}
        return {"ok": insights.record_feedback(reply_id, rating, comment[:1000] or None)}

    def on_like(data: gr.LikeData, reply_ids: list[str | None]) -> tuple[str | None, Any]:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        reply_id = reply_ids[index] if reply_ids and 0 <= index < len(reply_ids) else None
        if reply_id is None:
            return None, gr.update(visible=False)
        rating = "up" if data.liked else "down"
        insights.record_feedback(reply_id, rating, None)
        gr.Info("Thank you for your feedback.")
        return (reply_id, gr.update(visible=True)) if rating == "down" else (None, gr.update(visible=False))

    def send_comment(comment: str, reply_id: str | None) -> tuple[str, Any]:
        if reply_id and comment.strip():
            insights.record_feedback(reply_id, "down", comment[:1000])
            gr.Info("Thank you: staff will use this to improve the materials.")
        return "", gr.update(visible=False)

    examples = [entry.question for entry in _examples(assistant)]
    with gr.Blocks(title=settings.clinic_name, fill_height=True) as demo:
        gr.Markdown(f"# {html.escape(settings.clinic_name)}", elem_id="clinic-name")
        gr.Markdown(f"**Please note:** {html.escape(settings.disclaimer)}", elem_id="disclaimer-banner")
        chatbot = gr.Chatbot(
            label="Chat",
            elem_id="chat",
            height=520,
            feedback_options=("Like", "Dislike"),
            placeholder="Ask about stem cell therapy, its evidence, risks and costs.",
            buttons=["copy"],
        )
        with gr.Row():
            box = gr.Textbox(
                placeholder="Type your question and press Enter",
                show_label=False,
                scale=8,
                max_length=settings.max_question_chars,
                elem_id="question",
                autofocus=True,
            )
            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
        if examples:
            gr.Examples(examples=examples, inputs=box, label="Example questions")
        with gr.Row(visible=False, elem_id="dislike-comment") as comment_row:
            comment = gr.Textbox(
                placeholder="What was missing or wrong? (optional; please leave out names and contact details)",
                show_label=False,
                max_length=1000,
                scale=8,
            )
            comment_send = gr.Button("Send", scale=1)
        reply_ids = gr.State([])
        disliked = gr.State(None)
        box.submit(respond, [box, chatbot, reply_ids], [box, chatbot, reply_ids], api_visibility="private")
        send.click(respond, [box, chatbot, reply_ids], [box, chatbot, reply_ids], api_visibility="private")
        chatbot.like(on_like, reply_ids, [disliked, comment_row], api_visibility="private")
        comment.submit(send_comment, [comment, disliked], [comment, comment_row], api_visibility="private")
        comment_send.click(send_comment, [comment, disliked], [comment, comment_row], api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(feedback, api_name="feedback")
    return demo


def _examples(assistant: Assistant) -> list[Any]:
    try:
        return list(assistant.live.current().faq[:4])
    except IndexNotReady:
        return []
