"""The curated FAQ (``knowledge/faq.yaml``): strict validation, because a typo here reaches every patient."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FAQ_FILE = "faq.yaml"
ID_HINT = "; an id is lower-case letters, digits and dashes, e.g. what-are-mscs"


class FaqError(ValueError):
    """The FAQ file cannot be used as written."""


class FaqEntry(BaseModel):
    """One curated question with its answer and the document section the answer comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    question: str = Field(min_length=3)
    alternates: tuple[str, ...] = ()
    answer: str = Field(min_length=3)
    source: str = Field(min_length=1, description="path of the document, relative to the knowledge folder")
    section: str | None = None

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


class FaqFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[FaqEntry]


def read_yaml(text: str) -> object:
    """Parse with libyaml (ten times faster); on an error, parse again in pure Python, whose message points at
    where the mistake is (libyaml often names the end of the file instead)."""
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def yaml_problem(exc: Exception) -> str:
    """Where a YAML file stops parsing, in words."""
    where = getattr(exc, "problem_mark", None)
    at = f" at line {where.line + 1}, column {where.column + 1}" if where is not None else ""
    return f"not readable YAML{at}: {getattr(exc, 'problem', None) or exc.__class__.__name__}"


def validation_problem(exc: ValidationError) -> str:
    """The first thing wrong with a YAML file's content: where, what, and what was found."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the file"
    given = f" (found {first['input']!r})" if first["type"] != "missing" and "input" in first else ""
    hint = ID_HINT if first["loc"][-1:] == ("id",) else ""
    return f"{exc.error_count()} problem(s); {where}: {first['msg']}{given}{hint}"


def load_faq(path: Path) -> list[FaqEntry]:
    """Parse and validate the FAQ file; a missing file means no FAQ."""
    if not path.exists():
        return []
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
        entries = FaqFile.model_validate(raw).entries
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FaqError(f"{path.name}: {yaml_problem(exc)}") from exc
    except ValidationError as exc:
        raise FaqError(f"{path.name}: {validation_problem(exc)}") from exc
    ids = [entry.id for entry in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise FaqError(f"{path.name}: duplicate ids {duplicates}")
    return entries
