"""Settings are checked where they enter: every problem named by its variable, and nothing starts on one."""

import os
import subprocess
import sys

import httpx
import pytest

from bot.settings import PROJECT_ROOT
from bot.settings_check import SettingsInvalid, load_settings, unknown_variables
from tests.conftest import free_port


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):
    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize(
    "value",
    [
        '["https://clinic.example", "http://127.0.0.1:8000"]',
        "https://clinic.example, http://127.0.0.1:8000",
        "https://Clinic.example/,http://127.0.0.1:8000",
    ],
)
def test_origins_as_a_json_list_or_comma_separated(env, value: str) -> None:
    env.setenv("BOT_ALLOWED_ORIGINS", value)
    assert load_settings().allowed_origins == ["https://clinic.example", "http://127.0.0.1:8000"]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("BOT_ALLOWED_ORIGINS", "clinic.example", "scheme://host[:port]"),
        ("BOT_ALLOWED_ORIGINS", "https://clinic.example/chat", "no path"),
        ("BOT_ALLOWED_ORIGINS", '["https://clinic.example"', "not valid JSON"),
        ("BOT_WIDGET_STARTERS", "Is it safe?, What does it cost?", "JSON list of questions"),
        ("BOT_RATE_LIMIT", "lots", "N/minute"),
        ("BOT_ANSWER_THRESHOLD", "1.5", "less than or equal to 1"),
        ("BOT_TOP_K", "five", "valid integer"),
        ("BOT_DISCLAIMER", "  ", "empty message"),
        ("BOT_WIDGET_COLOR", "green", "#rrggbb"),
        ("BOT_TRASH_DAYS", "0", "greater than or equal to 1"),
        ("CHROMA_PORT", "70000", "65535"),
    ],
)
def test_an_invalid_value_is_named_with_what_to_write(env, name: str, value: str, says: str) -> None:
    env.setenv(name, value)
    with pytest.raises(SettingsInvalid) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith(f"{name}: ") and says in line


def test_unknown_names_and_bad_values_are_refused_all_at_once(env) -> None:
    env.setenv("BOT_ALLOWED_ORIGIN", "https://clinic.example")
    env.setenv("BOT_TOP_K", "0")
    env.setenv("BOT_WIDGET_POSITION", "middle")
    with pytest.raises(SettingsInvalid) as raised:
        load_settings()
    problems = raised.value.problems
    assert problems[0] == "BOT_ALLOWED_ORIGIN: no such setting; did you mean BOT_ALLOWED_ORIGINS?"
    assert [line.split(":")[0] for line in problems[1:]] == ["BOT_TOP_K", "BOT_WIDGET_POSITION"]


def test_a_staff_account_needs_both_halves(env) -> None:
    env.setenv("BOT_ADMIN_USER", "staff")
    with pytest.raises(SettingsInvalid, match="BOT_ADMIN_PASSWORD"):
        load_settings()


def test_unknown_names_in_the_env_file_are_found_too(tmp_path) -> None:
    (tmp_path / ".env").write_text("BOT_RETENTION_DAY=30\nOTHER=1\n")
    assert unknown_variables({}, tmp_path / ".env") == [
        "BOT_RETENTION_DAY: no such setting; did you mean BOT_RETENTION_DAYS?"
    ]


def test_the_app_refuses_to_start_on_an_invalid_setting_and_the_live_bot_keeps_answering(server: str) -> None:
    port = free_port()
    env = {**os.environ, "BOT_ALLOWED_ORIGINS": "clinic.example", "GRADIO_ANALYTICS_ENABLED": "False"}
    done = subprocess.run(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "not starting" in done.stderr and "BOT_ALLOWED_ORIGINS: 'clinic.example' is not an origin" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    answer = httpx.post(f"{server}/api/ask", json={"question": "What are mesenchymal stem cells?"}).json()
    assert answer["kind"] == "answer" and answer["citations"][0]["section"] == "What are mesenchymal stem cells (MSCs)?"
