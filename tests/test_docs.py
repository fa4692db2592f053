"""The docs stay honest (datasette's tests/test_docs.py): every setting is in the README's settings table."""

import re

import pytest

from bot.settings import PROJECT_ROOT
from bot.settings_check import variables

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_SECTION = README[README.index("\n## Settings\n") :].split("\n## ", 2)[1]
DOCUMENTED = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", SETTINGS_SECTION, flags=re.MULTILINE)


@pytest.mark.parametrize("name", sorted(variables()))
def test_setting_is_in_the_readme_table(name: str) -> None:
    assert name in DOCUMENTED, f"{name} is not in README.md's settings table"


def test_the_table_lists_only_real_settings_once() -> None:
    assert sorted(DOCUMENTED) == sorted(set(DOCUMENTED)) and set(DOCUMENTED) <= set(variables())
