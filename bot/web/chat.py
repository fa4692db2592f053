"""The patient chat page (Gradio), phone first: one screen tall, with the clinic name and the disclaimer banner
on top (it never scrolls away: only the conversation scrolls), the question box and Ask button always on
screen, example questions and suggested follow-ups as buttons that ask, and each reply with its numbered
sources in a collapsible block, a compact disclaimer and like/dislike buttons.

What Gradio has no setting for (showing a new reply from its start, the dislike comment box beside the
disliked reply) is done by ``static/chat.js``, served from our own origin so that the strict CSP holds.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.conversation import Assistant
from bot.index import IndexNotReady
from bot.inputs import Turn
from bot.insights import Insights
from bot.replies import Answer, Kind
from bot.sanitize import html_fragment, markdown_text
from bot.settings import Settings
from bot.web.asking import Refusal, ask
from bot.web.ratelimit import RateLimiter
from bot.web.urgent import action_links, linkify_numbers

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SCRIPT_PATH = "/chat/chat.js"
HEAD = f'<script src="{SCRIPT_PATH}" defer></script>'
"""Added to the page's head by Gradio; the script is a file of our own origin, so the CSP allows it."""
EXAMPLES = 4  # curated FAQ questions offered in the empty chat
URGENT = frozenset({Kind.EMERGENCY, Kind.CRISIS})
_ABBREVIATION = re.compile(r"\s*\((?=[^)]*[A-Z]{2})[A-Za-z0-9-]{2,12}\)")

_CSS_SAFE = frozenset(" .,:;?!'()-")
CSS_TEMPLATE = (STATIC / "chat.css").read_text(encoding="utf-8")


def chat_css(settings: Settings) -> str:
    """The page's stylesheet, with the suggestions' label written in (CSS ``content`` cannot read it from the
    page) as a CSS string: quotes, backslashes and line breaks escaped, so no label can end the rule."""
    label = "".join(ch if ch.isalnum() or ch in _CSS_SAFE else f"\\{ord(ch):x} " for ch in settings.suggestions_label)
    return CSS_TEMPLATE.replace("__SUGGESTIONS__", label)


def message_text(content: Any) -> str:
    """Plain text of a Gradio message, whether it arrives as a string or as a list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, list):
        return " ".join(message_text(part) for part in content)
    return ""


def display_question(question: str) -> str:
    """An example question as shown on its button: without a bracketed abbreviation ("(aHSCT)")."""
    return _ABBREVIATION.sub("", question).strip() or question


def _disclaimer(text: str) -> str:
    return f'<details class="reply-disclaimer"><summary>{html.escape(text)}</summary></details>'


def render_reply(answer: Answer, settings: Settings) -> str:
    """Markdown for one reply: the answer, its sources (collapsible), and the disclaimer, always.

    Emergency and crisis replies are wrapped in an alert with tap-to-call links, added after sanitising
    (from constants, see ``bot.web.urgent``). Suggestions are not part of the text: they are the message's
    option buttons.
    """
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
    body = html_fragment("\n\n".join(parts))
    if answer.kind in URGENT:
        actions = action_links(answer.answer, settings.call_label, settings.text_label)
        body = f'<div class="urgent-reply" role="alert">\n\n{linkify_numbers(body)}\n\n{actions}\n\n</div>'
    return body + "\n\n" + html_fragment(_disclaimer(answer.disclaimer))


def render_notice(text: str, disclaimer: str) -> str:
    """A reply that is not an answer (too long, too many questions, unavailable): nothing to rate."""
    return html_fragment(f'<p class="reply-notice">{html.escape(text)}</p>\n\n{_disclaimer(disclaimer)}')


def suggestion_options(answer: Answer | None) -> list[dict[str, str]]:
    """The reply's suggested questions as Gradio message options (buttons that ask them)."""
    return [{"value": s} for s in answer.suggestions] if answer is not None else []


def _client(request: gr.Request | None) -> str:
    return request.client.host if request is not None and request.client is not None else "unknown"


def build_chat_assets() -> APIRouter:
    """The chat page's script (register before the Gradio mount, like the widget's routes)."""
    router = APIRouter(include_in_schema=False)

    @router.get(SCRIPT_PATH)
    def chat_script() -> FileResponse:
        headers = {"cache-control": "no-cache"}  # revalidated (ETag), so that a new release shows at once
        return FileResponse(STATIC / "chat.js", media_type="text/javascript; charset=utf-8", headers=headers)

    return router


def build_chat(assistant: Assistant, insights: Insights, limiter: RateLimiter | None = None) -> gr.Blocks:
    settings = assistant.settings
    limiter = limiter or RateLimiter("")

    def reply_for(message: str, turns: list[Turn], request: gr.Request | None) -> tuple[str, Answer | None]:
        """The rendered reply and the answer behind it (None when no answer was made)."""
        reply = ask(assistant, message, turns, limiter, _client(request))
        if isinstance(reply, Refusal):
            return render_notice(reply.sentence(), settings.disclaimer), None
        return render_reply(reply, settings), reply

    def respond(
        message: str, history: list[dict[str, Any]], reply_ids: list[str | None], request: gr.Request
    ) -> tuple[Any, ...]:
        if not (message or "").strip():  # nothing to ask: no bubble and no reply to rate, only a hint
            gr.Info(settings.empty_question_message)
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        turns = [Turn(m.get("role", "user"), message_text(m.get("content"))) for m in history or []]
        reply, answer = reply_for(message, turns[-settings.max_history_messages :], request)
        question = {"role": "user", "content": markdown_text(message)}
        shown: dict[str, Any] = {"role": "assistant", "content": reply}
        if options := suggestion_options(answer):
            shown["options"] = options
        # one id per message, so that a like on message i finds its reply
        reply_id = answer.reply_id if answer is not None else None
        return "", [*(history or []), question, shown], [*(reply_ids or []), None, reply_id], gr.update(visible=False)

    def ask_chosen(
        history: list[dict[str, Any]], reply_ids: list[str | None], chosen: gr.SelectData, request: gr.Request
    ) -> tuple[Any, ...]:
        """A suggested or example question was clicked: ask it."""
        value = chosen.value.get("text", "") if isinstance(chosen.value, dict) else str(chosen.value or "")
        return respond(value, history, reply_ids, request)

    def ask_one(question: str, request: gr.Request) -> dict[str, Any]:
        """Answer one question, as the REST API does (for gradio_client): the answer, or the API's error body."""
        reply = ask(assistant, question, (), limiter, _client(request))
        if isinstance(reply, Refusal):
            return reply.body(disclaimer=settings.disclaimer)
        return reply.to_dict()

    def feedback(reply_id: str, rating: str, comment: str = "") -> dict[str, Any]:
        """Like ("up") or dislike ("down") a reply by its id, with an optional short comment."""
        if rating not in ("up", "down"):
            return {"ok": False, "message": "rating must be 'up' or 'down'"}
        return {"ok": insights.record_feedback(reply_id, rating, comment[:1000] or None)}

    def on_like(data: gr.LikeData, reply_ids: list[str | None]) -> tuple[str | None, Any]:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        reply_id = reply_ids[index] if reply_ids and 0 <= index < len(reply_ids) else None
        if reply_id is None or data.liked not in (True, False):  # nothing to rate, or a rating taken back
            return None, gr.update(visible=False)
        rating = "up" if data.liked else "down"
        insights.record_feedback(reply_id, rating, None)
        return (reply_id, gr.update(visible=True)) if rating == "down" else (None, gr.update(visible=False))

    def send_comment(comment: str, reply_id: str | None) -> tuple[str, Any]:
        if reply_id and comment.strip():
            insights.record_feedback(reply_id, "down", comment[:1000])
            gr.Info(settings.comment_thanks)
        return "", gr.update(visible=False)

    def close_comment() -> tuple[str, Any]:
        return "", gr.update(visible=False)

    examples = [{"text": q, "display_text": display_question(q)} for q in _example_questions(assistant)]
    with gr.Blocks(title=settings.clinic_name, fill_height=True) as demo:
        gr.Markdown(f"# {html.escape(settings.clinic_name)}", elem_id="clinic-name")
        gr.Markdown(f"**Please note:** {html.escape(settings.disclaimer)}", elem_id="disclaimer-banner")
        chatbot = gr.Chatbot(
            label="Conversation",
            show_label=False,
            elem_id="chat",
            height=None,
            scale=1,
            autoscroll=False,  # chat.js shows a new reply from its start instead of its end
            feedback_options=("Like", "Dislike"),
            placeholder=settings.chat_intro,
            examples=examples or None,
            buttons=["copy"],
        )
        with gr.Column(visible=False, elem_id="dislike-comment") as comment_row:
            comment = gr.Textbox(
                label=settings.comment_prompt,
                placeholder=settings.comment_placeholder,
                max_length=1000,
                elem_id="comment",
            )
            with gr.Row():
                comment_send = gr.Button("Send", size="sm", variant="primary", min_width=0, elem_id="comment-send")
                comment_close = gr.Button("Cancel", size="sm", min_width=0, elem_id="comment-cancel")
        with gr.Row(elem_id="composer", equal_height=True):
            box = gr.Textbox(
                placeholder=settings.question_placeholder,
                show_label=False,
                label="Your question",
                scale=8,
                min_width=0,
                max_length=settings.max_question_chars,
                elem_id="question",
                autofocus=True,
            )
            send = gr.Button(settings.ask_label, variant="primary", scale=0, min_width=72, elem_id="ask")
        reply_ids = gr.State([])
        disliked = gr.State(None)
        outputs = [box, chatbot, reply_ids, comment_row]
        box.submit(respond, [box, chatbot, reply_ids], outputs, api_visibility="private")
        send.click(respond, [box, chatbot, reply_ids], outputs, api_visibility="private")
        chatbot.option_select(ask_chosen, [chatbot, reply_ids], outputs, api_visibility="private")
        chatbot.example_select(ask_chosen, [chatbot, reply_ids], outputs, api_visibility="private")
        chatbot.clear(
            lambda: ([], None, gr.update(visible=False)),
            None,
            [reply_ids, disliked, comment_row],
            api_visibility="private",
        )
        chatbot.like(on_like, reply_ids, [disliked, comment_row], api_visibility="private")
        comment.submit(send_comment, [comment, disliked], [comment, comment_row], api_visibility="private")
        comment_send.click(send_comment, [comment, disliked], [comment, comment_row], api_visibility="private")
        comment_close.click(close_comment, None, [comment, comment_row], api_visibility="private")
        gr.api(ask_one, api_name="ask")
        gr.api(feedback, api_name="feedback")
    return demo


def _example_questions(assistant: Assistant) -> list[str]:
    try:
        return [entry.question for entry in assistant.live.current().faq[:EXAMPLES]]
    except IndexNotReady:
        return []
