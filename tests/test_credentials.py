"""Staff accounts: scrypt hashes in a file (several accounts) beside the single environment account."""

from pathlib import Path

import pytest

from bot.credentials import (
    CredentialsError,
    StaffAccounts,
    delete_account,
    hash_password,
    read_credentials,
    verify_password,
    write_account,
)
from bot.settings import Settings
from staff import main as staff_main


def test_hashes_verify_only_their_password() -> None:
    encoded = hash_password("correct horse battery")
    assert encoded.startswith("scrypt$") and "correct" not in encoded
    assert verify_password("correct horse battery", encoded)
    assert not verify_password("correct horse batterY", encoded)
    assert not verify_password("anything", "not-a-hash")
    assert hash_password("same password") != hash_password("same password")  # salted


def test_a_file_holds_several_accounts_and_the_environment_one_still_works(tmp_path: Path) -> None:
    path = tmp_path / "staff-accounts"
    write_account(path, "ana", "first password 1")
    write_account(path, "ben@clinic", "second password 2")
    write_account(path, "ana", "changed password 3")  # a new password replaces the old one
    assert sorted(read_credentials(path)) == ["ana", "ben@clinic"]
    assert "password" not in path.read_text() and path.stat().st_mode & 0o077 == 0
    settings = Settings(admin_user="desk", admin_password="desk password", admin_credentials_file=path)
    accounts = StaffAccounts.from_settings(settings)
    assert accounts is not None and accounts.users == ["ana", "ben@clinic", "desk"]
    assert accounts.check("ana", "changed password 3") and not accounts.check("ana", "first password 1")
    assert accounts.check("ben@clinic", "second password 2") and accounts.check("desk", "desk password")
    assert not accounts.check("ben@clinic", "desk password") and not accounts.check("nobody", "x")
    delete_account(path, "ben@clinic")
    assert list(read_credentials(path)) == ["ana"]
    assert StaffAccounts.from_settings(Settings()) is None  # no account: the staff page stays closed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ana:plaintext-password\n", "line 1"),
        ("# comment\n\nana:scrypt$1$2$3$4\n", "line 3"),
        (f"ana:{hash_password('x' * 10)}\nana:{hash_password('y' * 10)}\n", "twice"),
    ],
)
def test_a_malformed_file_names_the_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "staff-accounts"
    path.write_text(text)
    with pytest.raises(CredentialsError, match=problem):
        read_credentials(path)
    with pytest.raises(CredentialsError, match="does not exist"):
        read_credentials(tmp_path / "missing")


def test_weak_or_odd_accounts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="at least"):
        write_account(tmp_path / "f", "ana", "short")
    with pytest.raises(CredentialsError, match="not a usable name"):
        write_account(tmp_path / "f", "ana:admin", "long enough password")


def test_add_user_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    path = tmp_path / "staff-accounts"
    monkeypatch.setenv("BOT_ADMIN_CREDENTIALS_FILE", str(path))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a long enough password\n"))
    assert staff_main(["add-user", "carla", "--password-stdin"]) == 0
    assert "carla can sign in" in capsys.readouterr().out
    assert verify_password("a long enough password", read_credentials(path)["carla"])
