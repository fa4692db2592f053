"""The publish gate at ingest, with the real model and real Chroma generations in a temp dir."""

from pathlib import Path

import pytest
import yaml

from bot.catalog import remove_document, trash_for
from bot.conversation import Assistant
from bot.embedding import Embedder
from bot.index import read_active
from bot.ingestion import NothingHeld, ingest, publish_held
from bot.publish_gate import CHECKS_FILE, CheckQuestion, ChecksError, add_check, load_checks, read_held
from bot.settings import Settings
from bot.stores import make_store
from tests.staff_helpers import AFTERCARE, AFTERCARE_CHECK, AFTERCARE_SECTION, knowledge_copy

IMMUNOSUPPRESSANTS = "Can stem cell therapy reduce the need for immunosuppressant drugs?"
IMMUNOSUPPRESSANTS_SECTION = "Can stem cell treatment reduce the need for immunosuppressant drugs?"
COSTS = "How much does stem cell treatment cost, and does insurance pay?"  # the cost and insurance entries' section
CITED = "stem-cell-claims-and-evidence.md"  # the immunosuppressants entry and six more cite it


@pytest.fixture
def kb(tmp_path: Path, published: Settings) -> Settings:
    return knowledge_copy(tmp_path, published)


def with_aftercare_check(kb: Settings, embedder: Embedder) -> str:
    """The aftercare handout and a check question on it, published; returns the live version."""
    (kb.knowledge_dir / "aftercare.md").write_text(AFTERCARE)
    add_check(
        kb.knowledge_dir,
        CheckQuestion(question=AFTERCARE_CHECK, document="aftercare.md", section=AFTERCARE_SECTION),
    )
    report = ingest(kb, embedder)
    assert report.published and not report.held_because, report.table()
    return report.version


def test_the_first_index_is_published_with_its_warnings(embedder: Embedder, kb: Settings) -> None:
    report = ingest(kb, embedder)
    assert report.published and report.exit_code == 0
    assert report.checked == 0  # nothing live to compare with
    assert set(report.grades) == {path.name for path in kb.knowledge_dir.glob("*.md")} and CITED in report.grades
    assert "GRADE" in report.table()


def test_an_edit_that_breaks_a_check_question_is_held_with_the_question_named(embedder: Embedder, kb: Settings) -> None:
    live = with_aftercare_check(kb, embedder)
    edited = AFTERCARE.replace(f"## {AFTERCARE_SECTION}", "## Parking at the clinic").replace(
        "Rest for two days after the procedure. Avoid heavy lifting and hard exercise for one week, and sleep with\n"
        "the treated area raised on a pillow.",
        "Park in the visitor garage on level two; the clinic validates tickets at reception.",
    )
    assert AFTERCARE_SECTION not in edited and "Rest for two days" not in edited
    (kb.knowledge_dir / "aftercare.md").write_text(edited)
    report = ingest(kb, embedder)
    assert report.held and not report.published and report.exit_code == 3
    assert read_active(make_store(kb)).version == live  # patients keep the last good index
    lost = [line for line in report.held_because if line.startswith("LOST")]
    assert len(lost) == 1 and AFTERCARE_CHECK in lost[0] and AFTERCARE_SECTION in lost[0]
    assert "HELD" in report.table() and "--force" in report.table()
    assert report.checked >= 40 and report.check_seconds < 30
    held = read_held(kb)
    assert held is not None and held.info.version == report.version and held.live_version == live

    answer = Assistant(kb, embedder).ask(AFTERCARE_CHECK)
    assert answer.index_version == live and any(c.section == AFTERCARE_SECTION for c in answer.citations)

    again = ingest(kb, embedder)  # nothing changed: the held index is reused and checked again, not rebuilt
    assert again.held and again.version == report.version and again.embedded == 0
    forced = ingest(kb, embedder, force=True)
    assert forced.published and forced.forced and forced.version == report.version
    assert read_active(make_store(kb)).version == report.version and read_held(kb) is None
    assert "anyway" in forced.table()


def test_removing_a_document_the_faq_cites_is_held_until_restored(embedder: Embedder, kb: Settings) -> None:
    live = ingest(kb, embedder).version
    item = remove_document(kb, CITED)
    report = ingest(kb, embedder)
    assert report.held and report.exit_code == 3
    assert any(IMMUNOSUPPRESSANTS in line and CITED in line for line in report.held_because)
    assert any(f.path == "faq.yaml" and "immunosuppressants" in f.reason for f in report.failed)
    answer = Assistant(kb, embedder).ask(IMMUNOSUPPRESSANTS)
    assert answer.index_version == live and answer.citations[0].document == CITED  # the curated answer, still

    trash_for(kb).restore(item.name)
    back = ingest(kb, embedder)
    assert back.up_to_date and back.version == live and read_held(kb) is None  # the held index is moot now
    with pytest.raises(NothingHeld):
        publish_held(kb)


def test_a_new_curated_answer_its_section_does_not_support_is_held(embedder: Embedder, kb: Settings) -> None:
    ingest(kb, embedder)
    faq_path = kb.knowledge_dir / "faq.yaml"
    faq = yaml.safe_load(faq_path.read_text())
    faq["entries"].append(
        {
            "id": "cure-promise",
            "question": "Will stem cells cure my arthritis for good?",
            "answer": "Most patients are cured within a month and never need medicines again.",
            "source": "stem-cell-therapy-the-balanced-picture.md",
            "section": COSTS,
        }
    )
    faq_path.write_text(yaml.safe_dump(faq, sort_keys=False))
    report = ingest(kb, embedder)
    assert report.held
    [line] = [line for line in report.held_because if "cure-promise" in line]
    assert line.startswith("NEWLY UNSUPPORTED") and "cured within a month" in line
    # entries that were already unsupported in the live index are reported, but do not hold it on their own
    assert all("cure-promise" in line for line in report.held_because if "UNSUPPORTED" in line)

    published = publish_held(kb)  # what "Publish anyway" does: exactly the index that was checked
    assert read_active(make_store(kb)).version == published.info.version == report.version


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("faq.yaml", "entries: [ {id: BAD ID, typo_key: 1", "not readable YAML"),
        ("faq.yaml", "entries:\n  - {id: BAD ID, question: 'Why is that', answer: Yes., source: a}\n", "entries.0.id"),
        (CHECKS_FILE, "checks:\n  - {question: 'Is it safe', doc: a.md}\n", "checks.0.doc"),
    ],
)
def test_an_unreadable_faq_or_checks_file_fails_the_run_and_the_live_faq_keeps_answering(
    embedder: Embedder, kb: Settings, name: str, text: str, reason: str
) -> None:
    live = ingest(kb, embedder).version
    (kb.knowledge_dir / "aftercare.md").write_text(AFTERCARE)  # a real change that would otherwise publish
    (kb.knowledge_dir / name).write_text(text)
    report = ingest(kb, embedder)
    assert not report.published and not report.held and report.exit_code == 2
    assert report.blocked[0].path == name and reason in report.blocked[0].reason
    assert f"fix {name} first" in report.table() and live in report.table()
    assert read_active(make_store(kb)).version == live
    answer = Assistant(kb, embedder).ask(IMMUNOSUPPRESSANTS)
    assert answer.kind == "answer" and answer.citations[0].section == IMMUNOSUPPRESSANTS_SECTION


def test_checks_file_is_strict_and_add_check_appends(tmp_path: Path) -> None:
    assert load_checks(tmp_path / CHECKS_FILE) == []
    add_check(tmp_path, CheckQuestion(question="How long should I rest?", document="aftercare.md"))
    add_check(tmp_path, CheckQuestion(question="Is it covered?", document="a.md", section="Costs"))
    assert [c.question for c in load_checks(tmp_path / CHECKS_FILE)] == ["How long should I rest?", "Is it covered?"]
    with pytest.raises(ChecksError, match="already"):
        add_check(tmp_path, CheckQuestion(question="how long should I rest?", document="b.md"))
    (tmp_path / CHECKS_FILE).write_text("checks:\n  - {question: 'Is it safe', document: a.md, sectoin: Risks}\n")
    with pytest.raises(ChecksError, match="sectoin"):
        load_checks(tmp_path / CHECKS_FILE)


def test_an_edit_that_takes_away_what_a_curated_answer_says_is_held_once(embedder: Embedder, kb: Settings) -> None:
    ingest(kb, embedder)
    guide = kb.knowledge_dir / "stem-cell-therapy-the-balanced-picture.md"
    text = guide.read_text()
    start = text.index(f"## {COSTS}\n")
    end = text.index("## ", start + 5)
    guide.write_text(text[:start] + f"## {COSTS}\n\nAsk the clinic's front desk for a written quote.\n\n" + text[end:])
    report = ingest(kb, embedder)
    assert report.held
    newly = [line for line in report.held_because if line.startswith("NEWLY UNSUPPORTED")]
    assert {"'cost':", "'insurance':"} <= {word for line in newly for word in line.split() if word.startswith("'")}
    assert all(COSTS in line for line in newly)
    assert ingest(kb, embedder, force=True).forced
    guide.write_text(guide.read_text() + "\n")  # any later edit: the published warning is known, it holds nothing
    later = ingest(kb, embedder)
    assert later.published and not later.held_because and any("'cost'" in line for line in later.unsupported)
