"""One settings object for the whole product, read from the environment (prefix ``BOT_``) and ``.env``.

Every message a patient can see, every threshold and every limit lives here, so a clinic changes behaviour
without touching code, and tests build a ``Settings`` with a temporary data dir instead of patching globals.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DISCLAIMER = (
    "This assistant shares general education from our clinic's documents. It is not medical advice, "
    "cannot diagnose or treat you, and does not replace your own doctor. If you think you have a medical "
    "emergency, call 911."
)
DEFAULT_EMERGENCY_MESSAGE = (
    "**This may be a medical emergency. Call 911 or go to the nearest emergency department now.** "
    "Do not wait for a reply from the clinic or this chat. If you can, ask someone to stay with you."
)
DEFAULT_CRISIS_MESSAGE = (
    "**I'm really sorry you're going through this. You don't have to face it alone.** "
    "Please call or text **988** to reach the 988 Suicide & Crisis Lifeline: it is free, confidential and "
    "open 24 hours a day. If you are in immediate danger, call **911** now."
)
DEFAULT_PERSONAL_ADVICE_MESSAGE = (
    "I can't give personal medical advice, such as whether a treatment is right for you, a diagnosis, or "
    "changes to your medicines or doses. Please talk this over with your care team: {contact}"
)
DEFAULT_OUT_OF_SCOPE_MESSAGE = (
    "I can only answer questions about the topics in our clinic's patient materials, such as stem cell "
    "therapy for autoimmune diseases, its evidence, risks and costs. You could ask, for example:"
)
DEFAULT_NO_ANSWER_MESSAGE = "I'm sorry, our materials don't cover that question. Our care team can help: {contact}"
DEFAULT_EMPTY_QUESTION_MESSAGE = "Please type a question, for example: “What are mesenchymal stem cells?”"
ORIGIN = re.compile(r"^https?://(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$")
"""What a browser sends as ``Origin``: scheme, host and an optional port; no path, no trailing slash."""
HTTP_URL = r"^https?://[^\s/?#]+(?:[/?#]\S*)?$"
NonEmpty = Annotated[str, Field(min_length=1, pattern=r"\S")]
"""Patient-facing text: an empty one would silently remove a message (the disclaimer above all)."""
Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A cosine-similarity threshold."""
# Spanish: urgent messages are recognised and answered in Spanish; 988 answers in Spanish (press 2).
DEFAULT_EMERGENCY_MESSAGE_ES = (
    "**Esto puede ser una emergencia médica. Llame al 911 o vaya a la sala de emergencias más cercana ahora.** "
    "No espere una respuesta de la clínica ni de este chat. Si puede, pida a alguien que se quede con usted."
)
DEFAULT_CRISIS_MESSAGE_ES = (
    "**Siento mucho que esté pasando por esto. No tiene que enfrentarlo solo.** "
    "Llame o envíe un mensaje de texto al **988** (Línea de Prevención del Suicidio y Crisis): es gratis, "
    "confidencial y atiende las 24 horas, también en español (marque 2). Si está en peligro inmediato, llame "
    "al **911** ahora."
)
DEFAULT_PERSONAL_ADVICE_MESSAGE_ES = (
    "No puedo dar consejos médicos personales, como si un tratamiento es adecuado para usted o cambios en sus "
    "medicamentos o dosis. Por favor, hable de esto con su equipo médico: {contact}"
)
DEFAULT_SPANISH_NOTE = (
    "Gracias por su pregunta. Por ahora este asistente responde solo en inglés, con la información de los "
    "materiales de la clínica. Puede escribir su pregunta en inglés, o nuestro equipo le puede ayudar: {contact}"
)
DEFAULT_WIDGET_GREETING = (
    "Hello! I answer general questions about stem cell therapy from our clinic's patient materials, "
    "with the sources for every answer."
)


class Settings(BaseSettings):
    """Everything configurable. Environment variables are ``BOT_<FIELD>``, except the Chroma server ones."""

    model_config = SettingsConfigDict(env_prefix="BOT_", env_file=".env", extra="ignore", populate_by_name=True)

    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    data_dir: Path = PROJECT_ROOT / "data"

    # Branding and patient-facing messages (US defaults).
    clinic_name: NonEmpty = "Stem Cell Therapy Patient Education"
    clinic_contact: NonEmpty = "call the clinic during opening hours or use the patient portal."
    disclaimer: NonEmpty = DEFAULT_DISCLAIMER
    emergency_message: NonEmpty = DEFAULT_EMERGENCY_MESSAGE
    crisis_message: NonEmpty = DEFAULT_CRISIS_MESSAGE
    personal_advice_message: NonEmpty = DEFAULT_PERSONAL_ADVICE_MESSAGE
    out_of_scope_message: NonEmpty = DEFAULT_OUT_OF_SCOPE_MESSAGE
    no_answer_message: NonEmpty = DEFAULT_NO_ANSWER_MESSAGE
    not_covered_message: NonEmpty = "Our materials don't cover {topic}."  # a condition no document mentions
    empty_question_message: NonEmpty = DEFAULT_EMPTY_QUESTION_MESSAGE
    # Shown as "Sorry, <this>." when no index can answer (none yet, or one made with another model).
    unavailable_message: NonEmpty = (
        "the assistant is not available right now. Please try again in a moment, or contact the clinic"
    )
    # Words of the chat page and the widget (the widget's own panel labels are the widget_* settings below).
    chat_intro: NonEmpty = "Ask about stem cell therapy, its evidence, risks and costs. For example:"
    question_placeholder: NonEmpty = "Type your question"
    ask_label: NonEmpty = "Ask"
    starters_label: NonEmpty = "You could ask:"
    suggestions_label: NonEmpty = "You could also ask:"
    thinking_label: NonEmpty = "Looking in our materials…"
    helpful_label: NonEmpty = "Helpful"
    not_helpful_label: NonEmpty = "Not helpful"
    comment_prompt: NonEmpty = "Thank you. What was missing or wrong? (optional)"
    comment_placeholder: NonEmpty = "Please leave out names and contact details"
    comment_thanks: NonEmpty = "Thank you: staff will use this to improve the materials."
    call_label: NonEmpty = Field(default="Call {number}", pattern=r"\{number\}")  # urgent replies' tap-to-call links
    text_label: NonEmpty = Field(default="Text {number}", pattern=r"\{number\}")  # and text links (988)
    # The same in Spanish, for messages written in Spanish (language detected with lingua).
    emergency_message_es: NonEmpty = DEFAULT_EMERGENCY_MESSAGE_ES
    crisis_message_es: NonEmpty = DEFAULT_CRISIS_MESSAGE_ES
    personal_advice_message_es: NonEmpty = DEFAULT_PERSONAL_ADVICE_MESSAGE_ES
    spanish_note: NonEmpty = DEFAULT_SPANISH_NOTE  # any other Spanish message: answers are in English, and the contact

    # Retrieval and answering. Thresholds are cosine similarities of the bundled model (see docs/benchmarks.md).
    top_k: int = Field(default=5, ge=1)
    scope_threshold: Share | None = None  # cosine; None: the one calibrated with the answer model
    answer_threshold: Share | None = None  # the answer model's probability; None: the calibrated one
    max_answer_sentences: int = Field(default=3, ge=1)
    max_citations: int = Field(default=3, ge=1)
    suggestions: int = Field(default=3, ge=0)

    # Embedding model: "torch" (full precision) or "onnx-int8" (the same model quantised: ingest in about half
    # the time, see docs/benchmarks.md). Ingest and every app process must use the same backend: the index is
    # keyed by it. torch stays the default until the safety thresholds are calibrated on int8 vectors too.
    embedding_backend: Literal["torch", "onnx-int8"] = "torch"
    model_cache_dir: Path = PROJECT_ROOT / "data" / "models"  # the ONNX export; shared by every data dir
    # Model threads per process. One: on two shared cores it beat two for every workload measured (a second
    # thread mostly waits for a busy core); add processes (BOT_WORKERS, replicas) rather than threads.
    embedding_threads: int = Field(default=1, ge=1)
    batch_wait_ms: float = Field(default=2.0, ge=0)  # how long the serving encoder waits to share a model call
    embedding_cache_size: int = Field(default=2048, ge=0)  # serving: recent questions' vectors kept (0 disables)
    # Serving processes behind one port (uvicorn workers). Each loads its own model and keeps its own rate-limit
    # counts; with a Chroma server, prefer separate app processes behind a load balancer (docs/scaling.md).
    workers: int = Field(default=1, ge=1)

    # Documents.
    max_file_bytes: int = Field(default=5_000_000, ge=1)
    exclude_expired: bool = True  # leave documents whose review-by date has passed out of answers
    trash_days: int = Field(default=30, ge=1)  # removed documents stay restorable in data/trash this many days

    # Optional generated answers (off unless a model is named; see README "Generated answers").
    llm_model: str | None = None  # e.g. "llama3.2" with llm_provider "ollama"
    llm_provider: str | None = None  # any provider LangChain's init_chat_model knows: "ollama", "openai", ...
    llm_base_url: str | None = Field(default=None, pattern=HTTP_URL)  # e.g. http://127.0.0.1:11434 for Ollama
    llm_timeout_seconds: float = Field(default=20.0, gt=0)

    # Staff insights (off by default: nothing about patients is stored unless a clinic turns this on).
    feedback_enabled: bool = False
    retention_days: int = Field(default=90, ge=1)  # insights rows and the staff action log are kept this long

    # Input limits.
    max_question_chars: int = Field(default=1000, ge=1)
    max_history_messages: int = Field(default=20, ge=0)
    max_history_chars: int = Field(default=8000, ge=0)
    max_body_bytes: int = Field(default=64_000, ge=1)  # any request body, unless its route has a larger cap below
    # A chat event (a question through the chat page or gradio_client) carries the whole conversation shown so far.
    max_event_body_bytes: int = Field(default=1_000_000, ge=1)
    # One staff upload request, all its files together (each file is also held to max_file_bytes).
    max_upload_bytes: int = Field(default=50_000_000, ge=1)

    # Web.
    # Requests that change something (POST, ...) per client address, counted apart for the REST API, the chat and
    # the staff page; page loads and the chat's streaming are never counted. Empty disables.
    rate_limit: str = "60/minute"
    # Staff sign-in attempts; consecutive failures count (a success clears them), tiers separated by ";". Each tier
    # that fills up makes the wait longer: a minute, then an hour, then a day.
    login_rate_limit: str = "5/minute;20/hour;100/day"  # per client address
    # Per staff account, from all addresses together. Lower tiers would let anyone lock staff out for longer.
    login_account_rate_limit: str = "10/minute;50/hour"
    # Sites that may embed the widget: comma-separated or a JSON list of scheme://host[:port].
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Staff accounts: one in admin_user/admin_password, and any number in a file of scrypt hashes
    # (`python staff.py add-user NAME` writes it; see README "Staff accounts").
    admin_user: str | None = None
    admin_password: str | None = None
    admin_credentials_file: Path | None = None

    # The embeddable widget (/widget.js, /widget). The script tag's data-* attributes override the look and
    # the words; greeting and starters come only from here. Starters are a JSON list in the environment
    # (BOT_WIDGET_STARTERS='["Is it safe, and for whom?"]'), since questions contain commas; empty means
    # the first curated FAQ questions.
    widget_title: str = "Ask our clinic"
    widget_greeting: str = DEFAULT_WIDGET_GREETING
    widget_starters: Annotated[list[str], NoDecode] = Field(default_factory=list)
    widget_color: str = Field(default="#0b5394", pattern=r"^#[0-9a-fA-F]{6}$")
    widget_logo: str | None = Field(default=None, pattern=HTTP_URL)  # an http(s) image URL in the panel header
    widget_position: Literal["left", "right"] = "right"
    widget_language: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
    widget_launcher_label: str = "Ask a question"
    widget_placeholder: str = "Type your question"
    widget_send_label: str = "Send"
    widget_sources_label: str = "Sources"
    widget_close_label: str = "Close chat"

    # Chroma server mode (scale-out). Unset means the embedded PersistentClient under data_dir.
    chroma_host: str | None = Field(default=None, validation_alias=AliasChoices("CHROMA_HOST", "chroma_host"))
    chroma_port: int = Field(default=8000, ge=1, le=65535, validation_alias=AliasChoices("CHROMA_PORT", "chroma_port"))

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """A JSON list (pydantic-settings' form for lists) or a comma-separated string, from the environment."""
        if isinstance(value, str):
            if value.strip().startswith("["):
                return _json_list(value, "a JSON list of origins, e.g. '[\"https://clinic.example\"]'")
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if not ORIGIN.match(origin.strip().rstrip("/").lower()):
                raise ValueError(
                    f"{origin!r} is not an origin: write scheme://host[:port] with no path, e.g. "
                    "https://clinic.example or http://127.0.0.1:8000"
                )
        return [origin.strip().rstrip("/").lower() for origin in origins]

    @field_validator("widget_starters", mode="before")
    @classmethod
    def _parse_starters(cls, value: object) -> object:
        """A JSON list only: questions contain commas."""
        if isinstance(value, str):
            if not value.strip():
                return []
            return _json_list(value, 'a JSON list of questions, e.g. \'["Is it safe?", "What does it cost?"]\'')
        return value

    @field_validator("rate_limit", "login_rate_limit", "login_account_rate_limit")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        from limits import parse_many

        if value.strip():
            try:
                parse_many(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a rate: write N/second, N/minute, N/hour or N/day (e.g. 60/minute; tiers "
                    "separated by ';'), or leave it empty to turn the limit off"
                ) from None
        return value

    @model_validator(mode="after")
    def _check_pairs(self) -> Settings:
        if bool(self.admin_user) != bool(self.admin_password):
            raise ValueError("set both BOT_ADMIN_USER and BOT_ADMIN_PASSWORD, or neither")
        return self

    @property
    def index_dir(self) -> Path:
        """Where index generations and the active pointer live."""
        return self.data_dir / "index"

    def with_contact(self, message: str) -> str:
        """Fill the clinic's contact into a message template."""
        return message.replace("{contact}", self.clinic_contact)


def _json_list(value: str, expected: str) -> list[str]:
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at character {exc.pos}); expected {expected}") from None
    if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
        raise ValueError(f"expected {expected}")
    return parsed
