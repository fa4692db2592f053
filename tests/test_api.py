"""The real app over HTTP: the REST contract, malformed input, and the Gradio endpoint."""

import httpx
import pytest
from gradio_client import Client

from bot.embedding import Embedder
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import app_for, serving

CITATION_KEYS = {"id", "title", "source", "section", "snippet", "score", "reviewed", "url"}
ANSWER_KEYS = {"answer", "kind", "citations", "disclaimer", "suggestions", "index_version", "reply_id", "language"}


def ask(server: str, **body) -> httpx.Response:
    return httpx.post(f"{server}/api/ask", json=body, timeout=30)


def test_healthz_reports_the_active_index(server: str, published: Settings) -> None:
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok"
    assert health["index_version"].startswith("kb-")
    assert health["documents"] == len(list((PROJECT_ROOT / "knowledge").glob("*.md"))) and health["chunks"] > 10


def test_ask_returns_the_contract(server: str) -> None:
    response = ask(server, question="What are mesenchymal stem cells?")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ANSWER_KEYS
    assert body["kind"] == "answer" and "[1]" in body["answer"]
    assert body["citations"] and set(body["citations"][0]) == CITATION_KEYS
    assert body["disclaimer"] == Settings().disclaimer
    assert body["index_version"] == httpx.get(f"{server}/healthz").json()["index_version"]


def test_chest_pain_goes_to_911_and_weather_is_out_of_scope(server: str) -> None:
    emergency = ask(server, question="I have crushing chest pain").json()
    assert emergency["kind"] == "emergency" and "911" in emergency["answer"] and not emergency["citations"]
    weather = ask(server, question="what's the weather in Paris").json()
    assert weather["kind"] == "out_of_scope" and not weather["citations"]
    assert weather["disclaimer"] == emergency["disclaimer"]


def test_history_is_accepted(server: str) -> None:
    body = ask(
        server,
        question="where do they come from?",
        history=[
            {"role": "user", "content": "What are mesenchymal stem cells?"},
            {"role": "assistant", "content": "…"},
        ],
        session_id="abc",
    ).json()
    assert body["kind"] == "answer" and "bone marrow" in body["answer"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "error"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "invalid_json"),
        (b"[]", {"content-type": "application/json"}, 422, "invalid_request"),
        (b'{"question": 5}', {"content-type": "application/json"}, 422, "invalid_request"),
        (b'{"question": null}', {"content-type": "application/json"}, 422, "invalid_request"),
        (b"{}", {"content-type": "application/json"}, 422, "invalid_request"),
        (b'{"question": "hi", "extra": 1}', {"content-type": "application/json"}, 422, "invalid_request"),
        (
            b'{"question": "hi", "history": [{"role": "system", "content": "x"}]}',
            {"content-type": "application/json"},
            422,
            "invalid_request",
        ),
        (b'{"question": "   "}', {"content-type": "application/json"}, 400, "invalid_question"),
        (b'{"question": "' + b"a" * 1500 + b'"}', {"content-type": "application/json"}, 413, "invalid_question"),
        (b'{"question": "' + b"a" * 70_000 + b'"}', {"content-type": "application/json"}, 413, "body_too_large"),
        (b"question=hi", {"content-type": "application/x-www-form-urlencoded"}, 422, "invalid_request"),
        (b"\xff\xfe\x00", {"content-type": "application/json"}, 400, "invalid_json"),
    ],
)
def test_malformed_bodies_get_a_4xx_with_a_json_reason(
    server: str, content: bytes, headers: dict, status: int, error: str
) -> None:
    response = httpx.post(f"{server}/api/ask", content=content, headers=headers, timeout=30)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "Traceback" not in response.text


def test_too_much_history_is_refused(server: str) -> None:
    history = [{"role": "user", "content": "hello"}] * 50
    response = ask(server, question="What is Ryoncil?", history=history)
    assert response.status_code == 413 and "history" in response.json()["message"]


def test_gradio_endpoint_through_gradio_client(server: str) -> None:
    client = Client(f"{server}/", verbose=False)
    result = client.predict("Is stem cell therapy FDA-approved for autoimmune diseases?", api_name="/ask")
    assert result["kind"] == "answer"
    assert result["citations"][0]["section"] == "Is stem cell therapy FDA-approved for autoimmune disease?"
    assert result["disclaimer"] == Settings().disclaimer


def test_chat_page_is_served(server: str) -> None:
    page = httpx.get(f"{server}/", timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_a_server_on_another_embedding_model_refuses_the_index(published: Settings, onnx_embedder: Embedder) -> None:
    with serving(app_for(published, onnx_embedder)) as base:
        health = httpx.get(f"{base}/healthz")
        assert health.status_code == 503 and health.json()["status"] == "model_mismatch"
        assert "BOT_EMBEDDING_BACKEND" in health.json()["reason"]
        reply = httpx.post(f"{base}/api/ask", json={"question": "What are mesenchymal stem cells?"})
        unavailable = {"error": "index_not_ready", "message": published.unavailable_message}
        assert reply.status_code == 503 and reply.json() == unavailable
        # gradio_client's /ask is refused the same way, with the disclaimer as on every reply
        through_gradio = Client(f"{base}/", verbose=False).predict("What are MSCs?", api_name="/ask")
        assert through_gradio == {**unavailable, "disclaimer": published.disclaimer}
        urgent = httpx.post(f"{base}/api/ask", json={"question": "my chest hurts and I can't breathe"})
        assert urgent.status_code == 200 and urgent.json()["kind"] == "emergency"


def test_the_openapi_document_describes_the_reply(server: str) -> None:
    schema = httpx.get(f"{server}/api/openapi.json").json()
    reply = schema["paths"]["/api/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    answer = schema["components"]["schemas"][reply["$ref"].rsplit("/", 1)[-1]]
    assert set(answer["properties"]) == ANSWER_KEYS  # the audit trail is not part of the contract
    assert set(schema["components"]["schemas"]["Citation"]["properties"]) == CITATION_KEYS
    assert httpx.get(f"{server}/api/docs").status_code == 200
