"""The staff page over real HTTP: closed without credentials, login required, and real staff actions."""

from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from bot.embedding import Embedder
from bot.ingestion import ingest
from bot.settings import Settings
from tests.conftest import running_app
from tests.staff_helpers import knowledge_copy, published_even_if_held

USER, PASSWORD = "staff", "correct horse battery"


@pytest.fixture(scope="module")
def admin_server(embedder: Embedder, published: Settings, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("admin")
    settings = knowledge_copy(root, published)
    ingest(settings, embedder)
    with running_app(settings, root, BOT_ADMIN_USER=USER, BOT_ADMIN_PASSWORD=PASSWORD, BOT_RATE_LIMIT="") as base:
        yield base, settings


def test_without_credentials_the_staff_page_is_closed(server: str) -> None:
    page = httpx.get(f"{server}/admin", follow_redirects=True)
    assert page.status_code == 200
    assert "BOT_ADMIN_USER" in page.text
    assert httpx.get(f"{server}/admin/gradio_api/info").status_code == 404  # no staff route without a login


def test_patient_side_exposes_no_staff_action(server: str) -> None:
    info = httpx.get(f"{server}/gradio_api/info").json()
    assert set(info["named_endpoints"]) == {"/ask", "/feedback"} and not info["unnamed_endpoints"]
    paths = httpx.get(f"{server}/api/openapi.json").json()["paths"]
    assert set(paths) == {"/api/ask", "/api/feedback", "/healthz"}


def test_login_is_required_over_http_and_gradio_client(admin_server) -> None:
    base, _ = admin_server
    assert httpx.get(f"{base}/admin/gradio_api/info").status_code == 401
    assert httpx.post(f"{base}/admin/gradio_api/queue/join", json={"data": []}).status_code in (401, 403)
    with pytest.raises(Exception, match="(?i)login|credentials|auth"):
        Client(f"{base}/admin/", verbose=False)
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do; what matters is no access)
        Client(f"{base}/admin/", auth=(USER, "wrong password"), verbose=False)


def test_staff_upload_reingest_and_remove(admin_server, tmp_path: Path) -> None:
    base, settings = admin_server
    staff = Client(f"{base}/admin/", auth=(USER, PASSWORD), verbose=False)
    handout = tmp_path / "aftercare.md"
    handout.write_text(
        "---\ntitle: Aftercare\nreviewed: 2026-11-01\n---\n## Rest\n\nRest for two days after the procedure.\n"
    )
    report, table, *_ = staff.predict([handle_file(str(handout))], api_name="/upload")
    assert "Saved **aftercare.md**" in report
    report, table = published_even_if_held(staff, report, table)
    assert "Published" in report
    rows = {row[0]: row for row in table["data"]}
    assert rows["aftercare.md"][1] == "indexed" and rows["aftercare.md"][3] >= 1
    answer = httpx.post(f"{base}/api/ask", json={"question": "How long should I rest after the procedure?"}).json()
    assert any(c["title"] == "Aftercare" for c in answer["citations"])

    staff.predict("aftercare.md", api_name="/ask_remove")
    _, report, table, *_ = staff.predict(api_name="/move_to_trash")
    assert "Moved **aftercare.md** to the trash" in report
    report, table = published_even_if_held(staff, report, table)
    assert "Published" in report
    assert "aftercare.md" not in {row[0] for row in table["data"]}
    answer = httpx.post(f"{base}/api/ask", json={"question": "How long should I rest after the procedure?"}).json()
    assert all(c["title"] != "Aftercare" for c in answer["citations"])

    bad = tmp_path / "photo.md"  # right extension, wrong content
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report, *_ = staff.predict([handle_file(str(bad))], api_name="/upload")
    assert "Refused" in report and "binary" in report and not (settings.knowledge_dir / "photo.md").exists()
