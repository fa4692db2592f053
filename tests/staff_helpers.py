"""Helpers for the staff-side tests: private knowledge copies that start from the session's embedding cache.

Copying the cache of the session index (same model, same texts) means a fresh copy's first ingest reads its
vectors instead of computing them: each test pays seconds, not a full embedding run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.settings import Settings
from tests.conftest import copy_knowledge

CACHE = Path("cache") / "embeddings.sqlite3"


def knowledge_copy(root: Path, published: Settings, **overrides: object) -> Settings:
    """Settings on a private copy of the shipped knowledge folder and a data dir with a warm cache."""
    settings = Settings(knowledge_dir=copy_knowledge(root / "knowledge"), data_dir=root / "data", **overrides)
    (settings.data_dir / CACHE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(published.data_dir / CACHE, settings.data_dir / CACHE)
    return settings


AFTERCARE = """---
title: Aftercare after your procedure
source: Clinic handout
reviewed: 2026-11-01
review_by: 2027-11-01
---
## Rest after the procedure

Rest for two days after the procedure. Avoid heavy lifting and hard exercise for one week, and sleep with
the treated area raised on a pillow.

## Bathing and the dressing

Keep the dressing dry for 48 hours. After that you may shower, but do not soak in a bath or pool for a week.
"""
AFTERCARE_SECTION = "Rest after the procedure"
AFTERCARE_CHECK = "How long should I rest after the procedure?"
"""Answered from aftercare.md › Rest after the procedure once the handout is indexed. (The handout says "procedure",
not "fat harvest": the shipped guides' "Recovery and side effects after a fat harvest" answers the curated
recovery questions, and a handout on the fat harvest would take them over, which the publish gate holds.)"""


def published_even_if_held(client: Any, report: str, table: Any = None) -> tuple[str, Any]:
    """What went live after a staff action, given its ingest ``report`` and document ``table``: those, or, when
    the publish gate held the index, the report and table of confirming "Publish anyway" on the staff page.

    For flows whose subject is not the gate: any document added or removed can move a few borderline curated
    phrasings to another section (the answer model ranks sections against each other), which the gate holds,
    and staff then publish the held index as checked. The gate's decisions have their own tests.
    """
    if "HELD" not in report:
        return report, table
    assert "Patients will be answered from it at once" in client.predict(api_name="/ask_publish")
    _, published, table, *_ = client.predict(api_name="/publish_anyway")
    return published, table
