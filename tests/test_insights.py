"""Staff insights: feedback round trips, redaction before writing, retention, the staff view, CSV."""

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.insights import CSV_COLUMNS, INSIGHTS_FILE, Insights
from bot.settings import Settings
from bot.web.admin import faq_draft
from tests.conftest import running_app
from tests.staff_helpers import knowledge_copy

USER, PASSWORD = "staff", "insights-pass"
PRIVATE = "my email is jane@example.com, phone (555) 010-2345, ssn 123-45-6789: do i need to fast before the procedure?"


@pytest.fixture
def kb(embedder: Embedder, tmp_path: Path, published: Settings) -> Settings:
    settings = knowledge_copy(tmp_path, published)
    ingest(settings, embedder)
    return settings


def stored(settings: Settings, sql: str) -> list[tuple]:
    with sqlite3.connect(settings.data_dir / INSIGHTS_FILE) as db:
        return db.execute(sql).fetchall()


def recording(settings: Settings, embedder: Embedder) -> tuple[Assistant, Insights]:
    insights = Insights(settings.data_dir, enabled=True, retention_days=90)
    return Assistant(settings, embedder, on_reply=insights.record_reply), insights


def test_questions_are_redacted_before_anything_is_written(embedder: Embedder, kb: Settings) -> None:
    assistant, insights = recording(kb, embedder)
    answer = assistant.ask(PRIVATE)
    assert answer.kind == "no_answer"
    ((question,),) = stored(kb, "SELECT question FROM replies")
    assert "jane@example.com" not in question and "010-2345" not in question and "6789" not in question
    assert "[EMAIL]" in question and "[PHONE]" in question and "[SSN]" in question
    raw = (kb.data_dir / INSIGHTS_FILE).read_bytes()
    assert b"jane@example.com" not in raw and b"123-45-6789" not in raw


def test_crisis_and_emergency_questions_are_never_stored(embedder: Embedder, kb: Settings) -> None:
    assistant, _ = recording(kb, embedder)
    assistant.ask("I want to end my life")
    assistant.ask("I have crushing chest pain")
    assert stored(kb, "SELECT kind, question FROM replies ORDER BY kind") == [("crisis", None), ("emergency", None)]


def test_each_reply_records_its_index_and_document_versions(embedder: Embedder, kb: Settings) -> None:
    assistant, insights = recording(kb, embedder)
    answer = assistant.ask("What is Ryoncil?")
    audit = insights.audit(answer.reply_id)
    assert audit["index_version"] == answer.index_version and audit["kind"] == "answer"
    snapshot = assistant.live.current()
    ((path, digest),) = audit["documents"].items()
    assert snapshot.documents[path].content_hash == digest


def test_retention_deletes_old_rows(embedder: Embedder, kb: Settings) -> None:
    assistant, insights = recording(kb, embedder)
    reply = assistant.ask("What is Ryoncil?")
    assert insights.record_feedback(reply.reply_id, "down", "too short")
    assert insights.purge(dt.datetime.now(dt.UTC) + dt.timedelta(days=89)) == 0
    assert insights.purge(dt.datetime.now(dt.UTC) + dt.timedelta(days=91)) == 1
    assert stored(kb, "SELECT count(*) FROM replies") == [(0,)] and stored(kb, "SELECT count(*) FROM feedback") == [
        (0,)
    ]


def test_nothing_is_stored_when_the_setting_is_off(embedder: Embedder, kb: Settings) -> None:
    insights = Insights(kb.data_dir, enabled=False, retention_days=90)
    assistant = Assistant(kb, embedder, on_reply=insights.record_reply)
    reply = assistant.ask(PRIVATE)
    assert insights.record_feedback(reply.reply_id, "down", "call me on 555 010 2345")  # accepted, not kept
    assert not insights.record_feedback("f" * 32, "up", None)
    assert not (kb.data_dir / INSIGHTS_FILE).exists()
    assert insights.export_csv().splitlines() == [",".join(CSV_COLUMNS)]


def test_csv_export_has_the_expected_columns(embedder: Embedder, kb: Settings) -> None:
    assistant, insights = recording(kb, embedder)
    reply = assistant.ask("What is Ryoncil?")
    insights.record_feedback(reply.reply_id, "up", None)
    rows = list(csv.DictReader(io.StringIO(insights.export_csv())))
    assert list(rows[0]) == CSV_COLUMNS
    assert rows[0]["reply_id"] == reply.reply_id and rows[0]["rating"] == "up" and rows[0]["kind"] == "answer"


def test_topics_group_similar_questions(embedder: Embedder, kb: Settings) -> None:
    assistant, insights = recording(kb, embedder)
    for question in [
        "How much does it cost?",
        "What is the price of treatment?",
        "how expensive is it",
        "What is Ryoncil?",
    ]:
        assistant.ask(question)
    topics = insights.topics(embedder.encode)
    assert topics[0].count == 3 and "Ryoncil" not in topics[0].label


def test_faq_draft_is_valid_yaml_for_the_faq_file() -> None:
    import yaml

    entry = yaml.safe_load(faq_draft("How long is recovery after the fat harvest?"))[0]
    assert entry["id"] == "how-long-is-recovery-after-the-fat-harvest"
    assert entry["question"] == "How long is recovery after the fat harvest?"


def test_feedback_round_trip_through_the_api_the_chat_and_the_staff_page(kb: Settings, tmp_path: Path) -> None:
    env = {"BOT_FEEDBACK_ENABLED": "true", "BOT_ADMIN_USER": USER, "BOT_ADMIN_PASSWORD": PASSWORD, "BOT_RATE_LIMIT": ""}
    with running_app(kb, tmp_path, **env) as base:
        reply = httpx.post(f"{base}/api/ask", json={"question": "Can I bring my dog to the appointment?"}).json()
        assert reply["kind"] == "no_answer"
        response = httpx.post(
            f"{base}/api/feedback",
            json={"reply_id": reply["reply_id"], "rating": "down", "comment": "wanted recovery times"},
        )
        assert response.status_code == 204
        unknown = httpx.post(f"{base}/api/feedback", json={"reply_id": "nope", "rating": "up"})
        assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_reply"
        invalid = httpx.post(f"{base}/api/feedback", json={"reply_id": "x", "rating": "meh"})
        assert invalid.status_code == 422

        chat = Client(f"{base}/", verbose=False)
        answered = chat.predict("What is Ryoncil?", api_name="/ask")
        assert chat.predict(answered["reply_id"], "down", "too technical", api_name="/feedback") == {"ok": True}

        staff = Client(f"{base}/admin/", auth=(USER, PASSWORD), verbose=False)
        status, counts, _, _, topics, gaps, _, export = staff.predict(api_name="/insights")
        questions = {row[1]: row for row in gaps["data"]}
        assert "Can I bring my dog to the appointment?" in questions
        assert questions["What is Ryoncil?"][3] == "down" and questions["What is Ryoncil?"][4] == "too technical"
        assert {row[1] for row in counts["data"]} >= {"answer", "no_answer"}
        assert Path(export).read_text().startswith(",".join(CSV_COLUMNS))
        draft = staff.predict("Can I bring my dog to the appointment?", api_name="/draft_faq")
        assert "question: Can I bring my dog to the appointment?" in draft
