"""Staff accounts: any number of them in a file of scrypt hashes, plus the single one from the environment.

The file (``BOT_ADMIN_CREDENTIALS_FILE``) has one ``user:hash`` line per account, like an htpasswd file;
``python staff.py add-user NAME`` writes it. Hashes are ``hashlib.scrypt`` (standard library), so the file
holds no password and a copy of it opens nothing. ``BOT_ADMIN_USER``/``BOT_ADMIN_PASSWORD`` remain for a
clinic with one account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings

SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
"""The cost: about 16 MB and 50 ms per check, which only a login pays."""
USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10


class CredentialsError(ValueError):
    """The credentials file or a new account cannot be used; the message says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash``: everything a later check needs."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def read_credentials(path: Path) -> dict[str, str]:
    """user -> hash, from a credentials file; ``CredentialsError`` names the line that is wrong."""
    if not path.is_file():
        raise CredentialsError(f"BOT_ADMIN_CREDENTIALS_FILE: {path} does not exist (create it with staff.py add-user)")
    accounts: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, sep, encoded = line.strip().partition(":")
        parts = encoded.split("$")
        if not sep or not USER_NAME.match(user) or len(parts) != 6 or parts[0] != SCHEME:
            raise CredentialsError(
                f"{path}, line {number}: expected 'user:scrypt$...' as written by `python staff.py add-user USER`"
            )
        if user in accounts:
            raise CredentialsError(f"{path}, line {number}: '{user}' is listed twice")
        accounts[user] = encoded
    return accounts


def write_account(path: Path, user: str, password: str) -> None:
    """Add an account to the credentials file, or change its password (the file is created if missing)."""
    if not USER_NAME.match(user):
        raise CredentialsError(f"'{user}' is not a usable name: letters, digits and . _ @ -, up to 64")
    if len(password) < MIN_PASSWORD:
        raise CredentialsError(f"the password needs at least {MIN_PASSWORD} characters")
    accounts = read_credentials(path) if path.exists() else {}
    accounts[user] = hash_password(password)
    _write(path, accounts)


def delete_account(path: Path, user: str) -> None:
    accounts = read_credentials(path)
    if accounts.pop(user, None) is None:
        raise CredentialsError(f"'{user}' has no account in {path}")
    _write(path, accounts)


def _write(path: Path, accounts: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(f"{user}:{encoded}\n" for user, encoded in sorted(accounts.items())), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


@dataclass
class StaffAccounts:
    """Every staff account the staff page accepts."""

    hashed: dict[str, str] = field(default_factory=dict)
    plain: tuple[str, str] | None = None  # BOT_ADMIN_USER / BOT_ADMIN_PASSWORD

    @classmethod
    def from_settings(cls, settings: Settings) -> StaffAccounts | None:
        """The configured accounts, or None when there are none (the staff page stays closed)."""
        hashed = read_credentials(settings.admin_credentials_file) if settings.admin_credentials_file else {}
        plain = None
        if settings.admin_user and settings.admin_password:
            plain = (settings.admin_user, settings.admin_password)
        return cls(hashed, plain) if hashed or plain else None

    @property
    def users(self) -> list[str]:
        return sorted({*self.hashed, *([self.plain[0]] if self.plain else [])})

    def check(self, user: str, password: str) -> bool:
        """Whether a name and password open the staff page (Gradio's ``auth`` callable)."""
        ok = False
        if self.plain is not None:
            ok = hmac.compare_digest(user.encode(), self.plain[0].encode()) and hmac.compare_digest(
                password.encode(), self.plain[1].encode()
            )
        if not ok and user in self.hashed:
            ok = verify_password(password, self.hashed[user])
        return ok

    def as_auth(self) -> Callable[[str, str], bool]:
        return self.check
