"""The staff page over real HTTP (the real app, in-process), signed in as two accounts from a credentials file.

Each flow checks what patients get meanwhile through ``POST /api/ask``: the live index, with its FAQ.
"""

from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from bot.credentials import write_account
from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.settings import Settings
from tests.conftest import app_for, serving
from tests.staff_helpers import AFTERCARE, AFTERCARE_CHECK, AFTERCARE_SECTION, knowledge_copy, published_even_if_held

ANA, BEN = ("ana", "first staff password"), ("ben", "second staff password")
HANDOUT = "stem-cell-claims-and-evidence.md"  # seven FAQ entries cite it
FAQ_QUESTION = "Can stem cell therapy reduce the need for immunosuppressant drugs?"
FAQ_SECTION = "Can stem cell treatment reduce the need for immunosuppressant drugs?"


@pytest.fixture(scope="module")
def site(embedder: Embedder, published: Settings, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("staff-page")
    accounts = root / "staff-accounts"
    for user, password in (ANA, BEN):
        write_account(accounts, user, password)
    settings = knowledge_copy(root, published, admin_credentials_file=accounts, rate_limit="")
    assert ingest(settings, embedder).published
    with serving(app_for(settings, embedder)) as base:
        yield base, settings


def staff(base: str, account: tuple[str, str]) -> Client:
    return Client(f"{base}/admin/", auth=account, verbose=False)


def patient_answer(base: str) -> dict:
    return httpx.post(f"{base}/api/ask", json={"question": FAQ_QUESTION}, timeout=60).json()


def live_version(base: str) -> str:
    return httpx.get(f"{base}/healthz").json()["index_version"]


def log_rows(log: dict) -> list[list]:
    return log["data"]


def test_each_account_signs_in_and_a_wrong_password_does_not(site) -> None:
    base, _ = site
    assert staff(base, ANA) and staff(base, BEN)
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do; what matters is no access)
        Client(f"{base}/admin/", auth=("ana", BEN[1]), verbose=False)
    assert httpx.get(f"{base}/admin/gradio_api/info").status_code == 401


def test_removal_needs_confirmation_and_can_be_undone(site) -> None:
    base, settings = site
    live = live_version(base)
    ana = staff(base, ANA)
    assert "confirm first" in ana.predict(api_name="/move_to_trash")[1]  # no confirmation, no removal
    assert (settings.knowledge_dir / HANDOUT).exists()

    text, _ = ana.predict(HANDOUT, api_name="/ask_remove")
    assert f"Move **{HANDOUT}** to the trash?" in text
    assert "7 curated FAQ answer(s) cite it" in text and "`immunosuppressants`" in text and "held" in text
    assert ana.predict(api_name="/cancel_remove")[1] == "Nothing was removed."
    assert "confirm first" in ana.predict(api_name="/move_to_trash")[1]  # cancelling forgets the document
    assert (settings.knowledge_dir / HANDOUT).exists()

    ana.predict(HANDOUT, api_name="/ask_remove")
    _, report, table, _, held, trash, _, log = ana.predict(api_name="/move_to_trash")
    assert f"Moved **{HANDOUT}** to the trash" in report and "HELD" in report and f'"{FAQ_QUESTION}"' in report
    assert not (settings.knowledge_dir / HANDOUT).exists()
    assert {row[0]: row[1] for row in table["data"]}[HANDOUT].startswith("removed")
    assert "Held: index" in held and FAQ_QUESTION in held
    [entry] = [row for row in trash["data"] if row[1] == HANDOUT]
    assert log_rows(log)[0][1:4] == ["ana", "remove", HANDOUT] and len(log_rows(log)[0][4]) == 12
    answer = patient_answer(base)  # patients keep the curated answer from the live index
    assert answer["index_version"] == live and answer["citations"][0]["section"] == FAQ_SECTION

    report, table, _, held, trash, _, log = ana.predict(entry[0], api_name="/restore")
    assert f"Restored **{HANDOUT}**" in report and "already up to date" in report
    assert (
        (settings.knowledge_dir / HANDOUT).exists()
        and held == ""
        and trash["data"] in ([], [[]], None)
        or all(row[1] != HANDOUT for row in trash["data"])
    )
    assert log_rows(log)[0][1:4] == ["ana", "restore", HANDOUT]
    assert live_version(base) == live


def test_a_malformed_faq_or_a_bad_date_is_refused_at_upload_with_the_reason(site, tmp_path: Path) -> None:
    base, settings = site
    live, faq_before = live_version(base), (settings.knowledge_dir / "faq.yaml").read_text()
    ben = staff(base, BEN)
    broken = tmp_path / "faq.yaml"
    broken.write_text("entries: [ {id: BAD ID, typo_key: 1")
    report, *_, log = ben.predict([handle_file(str(broken))], api_name="/upload")
    assert "Refused: 'faq.yaml' is not valid, so it was not saved: not readable YAML at line 1" in report
    assert "Published" not in report and (settings.knowledge_dir / "faq.yaml").read_text() == faq_before
    assert log_rows(log)[0][1:4] == ["ben", "upload", "faq.yaml"] and log_rows(log)[0][6].startswith("refused")

    wrong = tmp_path / "faq.yaml"
    wrong.write_text("entries:\n  - {id: BAD ID, question: 'Why is that', answer: Because., source: a.md}\n")
    report, *_ = ben.predict([handle_file(str(wrong))], api_name="/upload")
    assert "entries.0.id" in report and "found 'BAD ID'" in report and "lower-case letters" in report

    late = tmp_path / "late.md"
    late.write_text(AFTERCARE.replace("review_by: 2027-11-01", "review_by: 2026-13-01"))
    report, *_ = ben.predict([handle_file(str(late))], api_name="/upload")
    assert "Refused: 'late.md': review_by '2026-13-01' is not a date; write it as YYYY-MM-DD" in report
    assert not (settings.knowledge_dir / "late.md").exists()

    answer = patient_answer(base)
    assert answer["index_version"] == live and answer["citations"][0]["section"] == FAQ_SECTION


def test_a_held_index_is_published_anyway_only_after_confirmation(site) -> None:
    base, settings = site
    live = live_version(base)
    ben = staff(base, BEN)
    assert ben.predict(api_name="/ask_publish") == ""  # nothing held
    ben.predict(HANDOUT, api_name="/ask_remove")
    report = ben.predict(api_name="/move_to_trash")[1]
    held_version = report.split("HELD    index ")[1].split(":")[0]
    assert live_version(base) == live

    other = staff(base, ANA)  # a session that never saw the confirmation cannot publish
    assert "changed since you confirmed" in other.predict(api_name="/publish_anyway")[1]
    assert live_version(base) == live

    confirm = ben.predict(api_name="/ask_publish")
    assert held_version in confirm and "Patients will be answered from it at once" in confirm
    _, report, _, _, held, trash, _, log = ben.predict(api_name="/publish_anyway")
    assert f"Published **{held_version}**" in report and held == ""
    assert live_version(base) == held_version
    assert log_rows(log)[0][1:3] == ["ben", "publish anyway"] and log_rows(log)[0][5] == held_version
    assert patient_answer(base)["index_version"] == held_version

    [entry] = [row for row in trash["data"] if row[1] == HANDOUT][:1]
    report = ben.predict(entry[0], api_name="/restore")[0]
    assert f"Restored **{HANDOUT}**" in report and f'"{FAQ_QUESTION}"' not in report  # nothing of its own is lost
    assert "Published" in published_even_if_held(ben, report)[0]
    assert patient_answer(base)["citations"][0]["section"] == FAQ_SECTION


def test_upload_and_check_questions_are_logged_with_user_hash_and_version(site, tmp_path: Path) -> None:
    base, settings = site
    ana = staff(base, ANA)
    handout = tmp_path / "aftercare.md"
    handout.write_text(AFTERCARE)
    report, table, *_, log = ana.predict([handle_file(str(handout))], api_name="/upload")
    assert "Saved **aftercare.md**" in report and "Published index" in report
    row = log_rows(log)[0]
    assert row[1:4] == ["ana", "upload", "aftercare.md"] and row[5] == live_version(base)
    assert row[6].startswith("published") and len(row[4]) == 12
    grades = {r[0]: r[6] for r in table["data"]}
    assert 0 < float(grades["aftercare.md"]) < 12

    report, checks, log = ana.predict(AFTERCARE_CHECK, "aftercare.md", AFTERCARE_SECTION, api_name="/add_check")
    assert "Added" in report and checks["data"][-1][0] == AFTERCARE_CHECK
    assert log_rows(log)[0][1:4] == ["ana", "add check question", "aftercare.md"]
    assert "checks.yaml" in [p.name for p in settings.knowledge_dir.iterdir()]


@pytest.mark.parametrize("path", ["/widget", "/", "/healthz", "/widget.js", "/admin/"])
def test_head_is_answered_wherever_get_is(site, path: str) -> None:
    base, _ = site
    head, get = httpx.head(base + path), httpx.get(base + path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) > 0
    assert httpx.head(f"{base}/api/ask").status_code == httpx.get(f"{base}/api/ask").status_code


def test_reingest_reports_and_logs_only_what_changes(site) -> None:
    base, settings = site
    ana = staff(base, ANA)
    before = len(log_rows(ana.predict(api_name="/reingest")[-1]) or [])
    report, *_, log = ana.predict(api_name="/reingest")
    assert "already up to date" in report and len(log_rows(log) or []) == before  # nothing happened: no entry
    (settings.knowledge_dir / "aftercare-2.md").write_text(AFTERCARE.replace("procedure", "bone marrow draw"))
    report, *_, log = ana.predict(api_name="/reingest")
    assert log_rows(log)[0][1:3] == ["ana", "re-ingest"] and log_rows(log)[0][6].split()[0] in ("published", "held")
    assert "Published" in published_even_if_held(ana, report)[0]
