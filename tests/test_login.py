"""Staff sign-in throttling over real HTTP: a burst of wrong passwords is refused with 429 per address and per
account, other clients are unaffected, a success clears the count, and every failure is logged without the password.

Each test speaks for its own client addresses (``X-Forwarded-For``, trusted from 127.0.0.1 as behind a local
reverse proxy) and, where it locks one, its own account name, so that the tests share one app.
"""

import logging

import httpx
import pytest
from gradio_client import Client

from bot.conversation import Assistant
from bot.settings import Settings
from bot.web.login import Tiers
from bot.web.server import create_app
from tests.serving import serving

USER, PASSWORD = "staff", "correct horse battery"
PER_ADDRESS, PER_ACCOUNT = 5, 10  # the first tier of each default: 5/minute, 10/minute


@pytest.fixture(scope="module")
def staff_server(published: Settings, assistant: Assistant):
    settings = published.model_copy(update={"admin_user": USER, "admin_password": PASSWORD, "rate_limit": ""})
    assert settings.login_rate_limit.startswith(f"{PER_ADDRESS}/minute")
    assert settings.login_account_rate_limit.startswith(f"{PER_ACCOUNT}/minute")
    with serving(create_app(settings, assistant=assistant)) as base:
        yield base


def sign_in(base: str, address: str, username: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base}/admin/login",
        data={"username": username, "password": password},
        headers={"x-forwarded-for": address},
    )


def test_a_burst_of_wrong_passwords_is_refused_while_others_sign_in(staff_server: str) -> None:
    codes = [sign_in(staff_server, "203.0.113.10", "nurse", f"guess {n}").status_code for n in range(8)]
    assert codes == [400] * PER_ADDRESS + [429] * 3
    refused = sign_in(staff_server, "203.0.113.10", USER, PASSWORD)  # even the right password, from there
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"] == "too_many_attempts"
    assert "this address" in refused.json()["message"] and "wait" in refused.json()["message"]
    assert sign_in(staff_server, "203.0.113.11", "nurse", "another guess").status_code == 400  # another address
    assert sign_in(staff_server, "203.0.113.12", USER, PASSWORD).status_code == 200
    assert httpx.get(f"{staff_server}/healthz", headers={"x-forwarded-for": "203.0.113.10"}).status_code == 200


def test_an_account_is_protected_from_many_addresses(staff_server: str) -> None:
    codes = [sign_in(staff_server, f"198.51.100.{n}", "frontdesk", "guess").status_code for n in range(PER_ACCOUNT + 2)]
    assert codes == [400] * PER_ACCOUNT + [429] * 2
    refused = sign_in(staff_server, "198.51.100.99", "frontdesk", "guess")
    assert refused.status_code == 429 and "this account" in refused.json()["message"]
    assert sign_in(staff_server, "198.51.100.99", "someone-else", "guess").status_code == 400


def test_a_success_clears_the_count(staff_server: str) -> None:
    address = "192.0.2.20"
    assert [sign_in(staff_server, address, USER, "wrong").status_code for _ in range(4)] == [400] * 4
    assert sign_in(staff_server, address, USER, PASSWORD).status_code == 200
    codes = [sign_in(staff_server, address, USER, "wrong").status_code for _ in range(PER_ADDRESS + 1)]
    assert codes == [400] * PER_ADDRESS + [429]


def test_each_failure_is_logged_without_the_password(staff_server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.web.login")
    secret = "hunter2-do-not-log"
    for _ in range(PER_ADDRESS + 1):
        sign_in(staff_server, "192.0.2.30", "pharmacist", secret)
    failures = [r.getMessage() for r in caplog.records if r.name == "bot.web.login"]
    assert len(failures) == PER_ADDRESS + 1
    assert all("192.0.2.30" in line and "pharmacist" in line for line in failures)
    assert "refused" in failures[-1] and "failed" in failures[0]
    assert secret not in caplog.text


def test_gradio_client_signs_in_and_a_multipart_form_counts_too(staff_server: str) -> None:
    staff = Client(f"{staff_server}/admin/", auth=(USER, PASSWORD), verbose=False)
    assert "/reingest" in staff.view_api(print_info=False, return_format="dict")["named_endpoints"]
    form = {"username": (None, "librarian"), "password": (None, "guess")}  # as the page's FormData sends it
    codes = [
        httpx.post(f"{staff_server}/admin/login", files=form, headers={"x-forwarded-for": "192.0.2.40"}).status_code
        for _ in range(PER_ADDRESS + 1)
    ]
    assert codes == [400] * PER_ADDRESS + [429]


def test_the_wait_grows_as_each_tier_fills() -> None:
    tiers = Tiers("address", "2/minute;3/hour")
    tiers.hit("a")
    assert tiers.wait("a") == 0
    tiers.hit("a")
    assert 0 < tiers.wait("a") <= 60  # the minute tier is full
    tiers.limiter.clear(tiers.items[0], "address", "a")  # as if the minute had passed
    assert tiers.wait("a") == 0
    tiers.hit("a")
    assert 60 < tiers.wait("a") <= 3600  # now the hour tier is full: a longer wait
    assert tiers.wait("b") == 0  # another key is unaffected
    tiers.clear("a")
    assert tiers.wait("a") == 0
