"""Settings checked where they enter: at start-up, every problem named by its variable, with what to write.

``load_settings`` is what the entry points call instead of ``Settings()``: it turns pydantic's errors into
lines staff can act on (``BOT_ALLOWED_ORIGINS: '["https://x"' is not valid JSON ...``) and refuses names with
the ``BOT_`` prefix that no setting has, since a typo (``BOT_ALLOWED_ORIGIN``) would otherwise be ignored
and the default silently used.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.settings import Settings

PREFIX = "BOT_"
ALIASES = {"chroma_host": "CHROMA_HOST", "chroma_port": "CHROMA_PORT"}
"""Settings read without the prefix (the names Chroma's own tools use)."""


class SettingsInvalid(ValueError):
    """One or more settings cannot be used; ``problems`` has one line per setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid settings:\n" + "\n".join(f"  {line}" for line in problems))
        self.problems = problems


def variable(field: str) -> str:
    """The environment variable of a settings field (or of an alias pydantic reports it by)."""
    if field.upper() in ALIASES.values():
        return field.upper()
    return ALIASES.get(field, PREFIX + field.upper())


def variables() -> dict[str, str]:
    """Every environment variable the app reads -> its field."""
    return {variable(name): name for name in Settings.model_fields}


def _describe(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]).lower() if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        given = error.get("input")
        if error["type"] == "string_pattern_mismatch":
            message = f"{given!r} is not in the expected form ({_PATTERN_HINTS.get(field, message)})"
        elif field and not isinstance(given, (dict, list)) and given is not None and repr(given) not in message:
            message = f"{given!r}: {message}"
        lines.append(f"{variable(field)}: {message}" if field else message)
    return lines


_PATTERN_HINTS = {
    "widget_color": "#rrggbb, e.g. #14532d",
    "widget_logo": "an http(s) address, e.g. https://clinic.example/logo.png",
    "llm_base_url": "an http(s) address, e.g. http://127.0.0.1:11434",
    "widget_language": "a language tag, e.g. en or es-MX",
}
for _name in ("clinic_name", "clinic_contact", "disclaimer") + tuple(
    f"{kind}_message" for kind in ("emergency", "crisis", "personal_advice", "out_of_scope", "no_answer")
):
    _PATTERN_HINTS[_name] = "some text: an empty message would leave patients without it"
_PATTERN_HINTS["empty_question_message"] = _PATTERN_HINTS["disclaimer"]


def unknown_variables(environ: Mapping[str, str], env_file: Path | None = Path(".env")) -> list[str]:
    """A line for each ``BOT_`` name (in the environment or ``.env``) that is no setting, with the nearest one."""
    names = set(environ)
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        names |= {str(key) for key in dotenv_values(env_file)}
    known = variables()
    lines = []
    for name in sorted(n for n in names if n.upper().startswith(PREFIX) and n.upper() not in known):
        close = difflib.get_close_matches(name.upper(), list(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see the settings table in README.md"
        lines.append(f"{name}: no such setting{hint}")
    return lines


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """``Settings`` from the environment and ``.env`` (plus ``overrides``), or ``SettingsInvalid`` listing
    every problem. Nothing starts on a setting it would have to guess about."""
    problems = unknown_variables(os.environ if environ is None else environ)
    settings = None
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems += _describe(exc)
    except SettingsError as exc:  # a list setting whose value is not JSON, before any validator runs
        problems.append(str(exc))
    if problems or settings is None:
        raise SettingsInvalid(problems)
    return settings
