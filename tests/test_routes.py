"""The route inventory: every route the app serves is needed or closed, closed ones answer 404 over HTTP, and the
threat model's route table is the code's."""

import re
import uuid
from pathlib import Path

import gradio as gr
import httpx
import pytest
from fastapi import FastAPI
from gradio.utils import get_upload_folder
from starlette.routing import Mount

from bot.conversation import Assistant
from bot.settings import Settings
from bot.web import routes
from bot.web.routes import NEEDED, RouteGuard, documented_table, markdown_table, route_table, unlisted
from bot.web.server import create_app
from tests.serving import serving

USER, PASSWORD = "staff", "correct horse battery"


def staff_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_user": USER, "admin_password": PASSWORD, "rate_limit": ""})


@pytest.fixture(scope="module")
def staff_app(published: Settings, assistant: Assistant) -> FastAPI:
    return create_app(staff_settings(published), assistant=assistant)


@pytest.fixture(scope="module")
def closed_app(published: Settings, assistant: Assistant) -> FastAPI:
    """The app with the staff page closed (no credentials), as shipped."""
    return create_app(published.model_copy(update={"rate_limit": ""}), assistant=assistant)


@pytest.fixture(scope="module")
def staff_server(staff_app: FastAPI):
    with serving(staff_app) as base:
        yield base


@pytest.fixture(scope="module")
def closed_server(closed_app: FastAPI):
    with serving(closed_app) as base:
        yield base


def sample(path: str) -> str:
    """A concrete path for a route path: every parameter becomes "x" ("/assets/{path:path}" -> "/assets/x")."""
    return re.sub(r"\{[^}]+\}", "x", path)


def gradio_app(app: FastAPI, mount: str) -> FastAPI:
    return next(r.app for r in app.routes if isinstance(r, Mount) and r.path == mount)


@pytest.mark.parametrize("which", ["staff_app", "closed_app"])
def test_every_route_is_needed_or_closed(which: str, request: pytest.FixtureRequest) -> None:
    app = request.getfixturevalue(which)
    table = route_table(app)
    assert ("POST", "/gradio_api/upload", "") in table and ("GET", "/admin/monitoring/summary", "/admin") in table
    assert unlisted(app) == []


def test_a_route_added_by_an_upgrade_is_reported(published: Settings, assistant: Assistant) -> None:
    app = create_app(staff_settings(published), assistant=assistant)
    assert unlisted(app) == []

    async def endpoint() -> dict:
        return {}

    app.add_api_route("/debug/dump", endpoint, methods=["GET"])
    gradio_app(app, "").add_api_route("/gradio_api/new-feature", endpoint, methods=["POST"])
    gradio_app(app, "/admin").add_api_route("/gradio_api/export-all", endpoint, methods=["GET"])
    assert sorted(unlisted(app)) == [
        ("GET", "/admin/gradio_api/export-all"),
        ("GET", "/debug/dump"),
        ("POST", "/gradio_api/new-feature"),
    ]


def test_every_needed_route_exists_and_every_post_has_a_body_cap(staff_app: FastAPI) -> None:
    served = {(method, path) for method, path, _ in route_table(staff_app)}
    assert [r for r in NEEDED if (r.method, r.path) not in served] == []
    assert [r.path for r in NEEDED if r.method == "POST" and r.body is None] == []


def test_a_closed_route_is_never_matched_by_a_needed_pattern(staff_app: FastAPI) -> None:
    guard = RouteGuard(staff_app, staff_login=True)
    for method, path, _ in route_table(staff_app):
        assert guard.allows(method, sample(path)) == routes.is_needed(method, path), (method, path)


def test_a_server_under_a_sub_path_is_guarded_the_same(staff_app: FastAPI) -> None:
    guard = RouteGuard(staff_app, staff_login=False)
    under = {"root_path": "/bot"}
    assert routes.route_path({"path": "/bot/gradio_api/upload", **under}) == "/gradio_api/upload"
    assert routes.route_path({"path": "/bot", **under}) == "/"
    assert guard.allows("GET", routes.route_path({"path": "/bot/widget.js", **under}))
    assert not guard.allows("POST", routes.route_path({"path": "/bot/gradio_api/upload", **under}))


def test_closed_routes_answer_404_over_http(staff_app: FastAPI, staff_server: str) -> None:
    closed = [(m, p) for m, p, _ in route_table(staff_app) if not routes.is_needed(m, p)]
    assert len(closed) > 60
    with httpx.Client(base_url=staff_server, timeout=10) as client:
        for method, path in closed:
            response = client.request(method, sample(path), json={} if method == "POST" else None)
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/monitoring/summary", "/admin/monitoring/summary", "/monitoring", "/admin/monitoring"]
)
def test_monitoring_is_closed(staff_server: str, closed_server: str, path: str) -> None:
    for base in (staff_server, closed_server):
        assert httpx.get(f"{base}{path}").status_code == 404


def upload(base: str, path: str, size: int) -> tuple[httpx.Response, str]:
    name = f"probe-{uuid.uuid4().hex}.bin"
    response = httpx.post(f"{base}{path}", files={"files": (name, b"\0" * size)}, timeout=60)
    return response, name


def test_anonymous_uploads_are_refused_and_nothing_is_written(staff_server: str, closed_server: str) -> None:
    written = []
    for base, path, status in [
        (staff_server, "/gradio_api/upload", 404),  # the patient chat takes no files
        (closed_server, "/gradio_api/upload", 404),
        (closed_server, "/admin/gradio_api/upload", 404),  # no staff login: no staff routes at all
        (staff_server, "/admin/gradio_api/upload", 401),  # staff upload: only after signing in
    ]:
        response, name = upload(base, path, 30_000_000)
        assert response.status_code == status, (base, path)
        written += list(Path(get_upload_folder()).rglob(f"{name}*"))
    assert written == []


def test_staff_routes_are_open_only_with_the_staff_login(staff_server: str, closed_server: str) -> None:
    assert httpx.get(f"{staff_server}/admin/gradio_api/info").status_code == 401  # open, behind Gradio's login
    assert httpx.get(f"{closed_server}/admin/gradio_api/info").status_code == 404
    assert httpx.post(f"{closed_server}/admin/login", data={"username": "a", "password": "b"}).status_code == 404
    page = httpx.get(f"{closed_server}/admin/")
    assert page.status_code == 200 and "BOT_ADMIN_USER" in page.text  # the closed page says how to open it


def test_chat_and_gradio_client_still_work_behind_the_guard(staff_server: str) -> None:
    from gradio_client import Client

    reply = Client(f"{staff_server}/", verbose=False).predict("What is Ryoncil?", api_name="/ask")
    assert reply["kind"] == "answer" and reply["citations"]
    assert httpx.get(f"{staff_server}/").status_code == 200
    assert httpx.get(f"{staff_server}/widget.js").status_code == 200


def test_the_threat_model_route_table_is_the_code() -> None:
    assert documented_table() == markdown_table(), "run: python -m bot.web.routes --write"


def test_gradio_is_told_to_keep_monitoring_off(staff_app: FastAPI) -> None:
    for mount in ("", "/admin"):
        blocks: gr.Blocks = gradio_app(staff_app, mount).get_blocks()
        assert blocks.enable_monitoring is False
    assert gradio_app(staff_app, "").get_blocks().max_file_size == 0  # no upload to the chat, even if it were open
    check_every, max_age = gradio_app(staff_app, "/admin").get_blocks().delete_cache
    assert 0 < check_every <= max_age <= 3600  # the staff page's uploads and exports are deleted within the hour
