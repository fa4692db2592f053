"""Helpers for the staff-side tests: private knowledge copies that start from the session's embedding cache.

Copying the cache of the session index (same model, same texts) means a fresh copy's first ingest reads its
vectors instead of computing them: each test pays seconds, not a full embedding run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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
## Rest after the fat harvest

Rest for two days after the fat harvest. Avoid heavy lifting and hard exercise for one week, and sleep with
the treated area raised on a pillow.

## Bathing and the dressing

Keep the dressing dry for 48 hours. After that you may shower, but do not soak in a bath or pool for a week.
"""
AFTERCARE_CHECK = "How long should I rest after the fat harvest?"
"""Answered from aftercare.md › Rest after the fat harvest once the handout is indexed (the shipped guides' "Recovery
and side effects after a fat harvest" answers it otherwise)."""
