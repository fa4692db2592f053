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

from bot.answering import Answer
from bot.conversation import Assistant, Turn
from bot.index import IndexNotReady
from bot.insights import Insights
from bot.safety import InputRejected, Kind
from bot.sanitize import html_fragment, markdown_text
from bot.web.ratelimit import RateLimiter
from bot.web.urgent import action_links, linkify_numbers

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SCRIPT_PATH = "/chat/chat.js"
HEAD = f'<script src="{SCRIPT_PATH}" defer></script>'
"""Added to the page's head by Gradio; the script is a file of our own origin, so the CSP allows it."""
EXAMPLES = 4  # curated FAQ questions offered in the empty chat
URGENT = frozenset({Kind.EMERGENCY, Kind.CRISIS})
SUGGESTIONS_LABEL = "You could also ask:"
COMMENT_LABEL = "Thank you. What was missing or wrong? (optional)"
COMMENT_PLACEHOLDER = "Please leave out names and contact details"
UNAVAILABLE = "Sorry, the assistant is not available right now. Please try again in a moment, or contact the clinic."
_ABBREVIATION = re.compile(r"\s*\((?=[^)]*[A-Z]{2})[A-Za-z0-9-]{2,12}\)")

CSS = """
/* One screen tall: the conversation scrolls inside, everything else stays put (phone first). */
html, body { height: 100%; }
body { overflow: hidden; }
gradio-app { height: 100dvh; min-height: 0 !important; }
.gradio-container { height: 100dvh; min-height: 0 !important; padding: 8px clamp(10px, 2.5vw, 32px) !important;
  width: 100%; max-width: 1040px !important; margin: 0 auto !important; }
.gradio-container > .main { padding: 0 !important; }
.gradio-container > .main, .gradio-container .wrap, .gradio-container main.contain {
  height: 100%; min-height: 0 !important; }
.gradio-container main.contain { display: flex; flex-direction: column; }
.gradio-container main.contain > .column { flex: 1 1 auto; min-height: 0; gap: 8px; }
#clinic-name h1 { margin: 0; font-size: 1.15rem; line-height: 1.25; }
#clinic-name, #disclaimer-banner { flex: none; }
#disclaimer-banner { border-left: 4px solid #b45309; background: #fffbeb; color: #451a03; padding: 6px 10px;
  border-radius: 6px; }
#disclaimer-banner p { margin: 0; font-size: 13px; line-height: 1.35; }
#disclaimer-banner p, #disclaimer-banner strong { color: #451a03 !important; }  /* also in the dark theme */
#chat { flex: 1 1 auto !important; height: auto !important; min-height: 0 !important; }
#chat .message-row.bubble { margin: 10px 8px 6px; }
#chat .message-row.bubble.bot-row { max-width: calc(100% - 16px); }  /* a reply may use the whole width */
#chat .message-row .message { font-size: 15px; }
#chat .message-row .md.chatbot { opacity: 1; }  /* Gradio fades message text to 80 %: full contrast instead */
#composer { flex: none; flex-wrap: nowrap; gap: 8px; align-items: stretch; }
#composer > * { min-width: 0 !important; }
#ask { flex: none; min-width: 72px; }
/* (Gradio scopes rules inside @media to its content area: the page's own box is sized above without them.) */
@media (min-width: 768px) {
  #clinic-name h1 { font-size: 1.6rem; }
  #disclaimer-banner p { font-size: 14px; }
  #chat .message-row.bubble { margin: 14px 16px 8px; }
  #chat .message-row .message { font-size: 16px; }
}
/* Notes ("thank you") slide in above the question box, not over the disclaimer. */
.toast-wrap { top: auto !important; bottom: 84px; }
/* The clear button sits in its own row above the conversation instead of over it. */
#chat .top-panel { position: static; display: flex; justify-content: flex-end; padding: 2px 4px 0; }
/* Example questions in the empty chat: whole questions, one per line on a phone. */
#chat .placeholder-content .examples { padding: 8px; gap: 8px;
  grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
#chat .placeholder-content .placeholder { flex-grow: 0; height: auto; justify-content: flex-start;
  padding: 12px 12px 0; }
#chat .placeholder-content .examples { margin: 0; }
#chat .placeholder-content .example { padding: 10px 12px; border: 1px solid var(--button-primary-background-fill);
  border-radius: 10px; color: var(--button-primary-background-fill); }
#chat .placeholder-content .example-text { white-space: normal; overflow: visible; text-overflow: clip; }
/* Suggested follow-ups: buttons under the last reply that ask the question. */
#chat .options { display: flex; flex-direction: column; align-items: stretch; gap: 6px; max-width: 640px;
  margin: 4px 8px 12px; padding: 0; }
#chat .options::before { content: "__SUGGESTIONS__"; color: #4b5563; font-size: 13px; }
#chat .options button.option { max-width: none; align-items: flex-start; text-align: left; padding: 8px 12px;
  border-radius: 10px; min-height: 40px; border: 1px solid var(--button-primary-background-fill);
  color: var(--button-primary-background-fill); background: var(--block-background-fill); font-size: 14px; }
#chat .options button.option:hover { background: var(--background-fill-secondary); }
/* Replies: sources, and the disclaimer kept on every reply but one line tall (tap it for the whole text). */
#chat details.sources summary { cursor: pointer; font-weight: 600; }
#chat details.reply-disclaimer { margin-top: 8px; font-size: 12px; color: #57534e; }
#chat details.reply-disclaimer summary { cursor: pointer; font-style: italic; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
#chat details.reply-disclaimer[open] summary { white-space: normal; }
#chat .reply-notice { color: #7c2d12; }
/* Emergency and crisis replies stand out, with large tap-to-call links. */
#chat .urgent-reply { border-left: 5px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 8px 12px;
  border-radius: 8px; font-size: 16px; }
#chat .urgent-reply p, #chat .urgent-reply strong, #chat .urgent-reply a { color: #7f1d1d; }  /* dark theme too */
#chat .urgent-reply a { font-weight: 700; }
#chat .urgent-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 2px; }
#chat .urgent-reply a.urgent-action { display: inline-flex; align-items: center; min-height: 44px;
  padding: 8px 18px; border-radius: 999px; background: #b91c1c; color: #ffffff; text-decoration: none; }
/* The dark theme: the same things in light ink. */
.dark #chat .options::before { color: #d1d5db; }
.dark #chat .options button.option, .dark #chat .placeholder-content .example { color: #c7d2fe;
  border-color: #a5b4fc; }
.dark #chat details.reply-disclaimer { color: #d6d3d1; }
.dark #chat .reply-notice { color: #fdba74; }
/* No like/dislike where there is nothing to rate: notices and urgent replies (as in the widget). (No commas inside
   :has() or :is() here: Gradio splits every selector list at its commas to scope it.) */
#chat .message-row:has(.reply-notice) + .message-buttons button[aria-label^="Like"],
#chat .message-row:has(.reply-notice) + .message-buttons button[aria-label^="Dislike"],
#chat .message-row:has(.urgent-reply) + .message-buttons button[aria-label^="Like"],
#chat .message-row:has(.urgent-reply) + .message-buttons button[aria-label^="Dislike"] { display: none; }
#chat .options:not(:has(button)) { display: none; }  /* no suggestions, no "You could also ask" */
/* The dislike comment box: placed under the disliked reply's buttons by chat.js (in the flow until then). */
#dislike-comment { flex: none; gap: 6px; padding: 8px 10px; border: 1px solid #9ca3af; border-radius: 10px;
  background: var(--block-background-fill); }
#dislike-comment.anchored { position: fixed; z-index: 1000; box-shadow: 0 8px 24px rgba(0, 0, 0, .2); }
#dislike-comment #comment { padding: 0; border: 0; box-shadow: none; }
#dislike-comment [data-testid="block-info"] { background: none; padding: 0; margin-bottom: 4px; color: #1f2937;
  font-weight: 600; font-size: 14px; }
#dislike-comment .row { flex-wrap: nowrap; gap: 8px; }
body:has(#dislike-comment.anchored) #chat .message-wrap { padding-bottom: 180px; }
body:has(#dislike-comment.anchored) #chat .scroll-down-button-container { display: none; }
""".replace("__SUGGESTIONS__", SUGGESTIONS_LABEL.replace('"', '\\"'))


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


def render_reply(answer: Answer) -> str:
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
        actions = action_links(answer.answer)
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
        retry_after = limiter.hit(_client(request))
        if retry_after is not None:
            return render_notice(f"Sorry, {limiter.reason(retry_after)}.", settings.disclaimer), None
        try:
            answer = assistant.ask(message, turns)
        except InputRejected as exc:
            return render_notice(f"Sorry, {exc.reason}.", settings.disclaimer), None
        except IndexNotReady:
            return render_notice(UNAVAILABLE, settings.disclaimer), None
        return render_reply(answer), answer

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
        if reply_id is None or data.liked not in (True, False):  # nothing to rate, or a rating taken back
            return None, gr.update(visible=False)
        rating = "up" if data.liked else "down"
        insights.record_feedback(reply_id, rating, None)
        return (reply_id, gr.update(visible=True)) if rating == "down" else (None, gr.update(visible=False))

    def send_comment(comment: str, reply_id: str | None) -> tuple[str, Any]:
        if reply_id and comment.strip():
            insights.record_feedback(reply_id, "down", comment[:1000])
            gr.Info("Thank you: staff will use this to improve the materials.")
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
            placeholder="Ask about stem cell therapy, its evidence, risks and costs. For example:",
            examples=examples or None,
            buttons=["copy"],
        )
        with gr.Column(visible=False, elem_id="dislike-comment") as comment_row:
            comment = gr.Textbox(
                label=COMMENT_LABEL, placeholder=COMMENT_PLACEHOLDER, max_length=1000, elem_id="comment"
            )
            with gr.Row():
                comment_send = gr.Button("Send", size="sm", variant="primary", min_width=0, elem_id="comment-send")
                comment_close = gr.Button("Cancel", size="sm", min_width=0, elem_id="comment-cancel")
        with gr.Row(elem_id="composer", equal_height=True):
            box = gr.Textbox(
                placeholder="Type your question",
                show_label=False,
                label="Your question",
                scale=8,
                min_width=0,
                max_length=settings.max_question_chars,
                elem_id="question",
                autofocus=True,
            )
            send = gr.Button("Ask", variant="primary", scale=0, min_width=72, elem_id="ask")
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
        gr.api(ask, api_name="ask")
        gr.api(feedback, api_name="feedback")
    return demo


def _example_questions(assistant: Assistant) -> list[str]:
    try:
        return [entry.question for entry in assistant.live.current().faq[:EXAMPLES]]
    except IndexNotReady:
        return []
