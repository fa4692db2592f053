"""Staff insights: what patients ask, which replies they liked, and where the documents fall short.

Stored only when ``feedback_enabled`` is on, in one SQLite file under the data folder, and only this per
reply: the question after ``redact`` (none at all for crisis and emergency replies), the reply kind, the
cited documents with their content hashes, the index version and the time; per feedback: the rating and a
redacted comment. No IP address, session or other identifier. Rows older than ``retention_days`` are
deleted at start-up and at least daily. ``docs/privacy.md`` lists exactly this.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.redaction import redact
from bot.replies import Answer, Kind

INSIGHTS_FILE = "insights.sqlite3"
NOT_STORED = frozenset({Kind.CRISIS, Kind.EMERGENCY})
"""Questions of people in crisis or an emergency are too sensitive to keep, even redacted."""
RECENT_IDS = 10_000
"""Reply ids remembered in memory, so feedback on a recent reply is accepted even when nothing is stored."""
PURGE_EVERY = dt.timedelta(days=1)
MAX_COMMENT = 500
CSV_COLUMNS = ["reply_id", "time", "kind", "question", "cited_documents", "index_version", "rating", "comment"]
TOPIC_SIMILARITY = 0.55
"""Questions at least this similar to a topic's first question join that topic."""


@dataclass(frozen=True)
class Topic:
    """A cluster of similar questions, named by its most typical one."""

    label: str
    count: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Insights:
    """Records replies and feedback when enabled; answers the staff page's questions about them."""

    def __init__(self, data_dir: Path, *, enabled: bool, retention_days: int) -> None:
        self.enabled = enabled
        self.retention = dt.timedelta(days=retention_days)
        self.path = data_dir / INSIGHTS_FILE
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._last_purge: dt.datetime | None = None
        if enabled:
            data_dir.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(
                    """
                    CREATE TABLE IF NOT EXISTS replies (
                        reply_id TEXT PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, question TEXT,
                        cited_documents TEXT NOT NULL, index_version TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS feedback (
                        reply_id TEXT PRIMARY KEY REFERENCES replies(reply_id) ON DELETE CASCADE,
                        time TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT);
                    CREATE INDEX IF NOT EXISTS replies_time ON replies(time);
                    """
                )
            self.purge()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def record_reply(self, question: str, answer: Answer) -> None:
        """Remember a reply (an ``Assistant`` ``on_reply`` observer)."""
        with self._lock:
            self._recent[answer.reply_id] = None
            while len(self._recent) > RECENT_IDS:
                self._recent.popitem(last=False)
        if not self.enabled:
            return
        stored_question = None if answer.kind in NOT_STORED else redact(question)
        documents = json.dumps(answer.trace.documents, sort_keys=True)
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?, ?)",
                (
                    answer.reply_id,
                    _now().isoformat(timespec="seconds"),
                    str(answer.kind),
                    stored_question,
                    documents,
                    answer.index_version,
                ),
            )
        if self._last_purge is None or _now() - self._last_purge > PURGE_EVERY:
            self.purge()

    def record_feedback(self, reply_id: str, rating: str, comment: str | None) -> bool:
        """Store a like or dislike. False when the reply is unknown (never made, or long forgotten)."""
        with self._lock:
            known = reply_id in self._recent
        if not self.enabled:
            return known
        with self._connect() as db:
            if db.execute("SELECT 1 FROM replies WHERE reply_id = ?", (reply_id,)).fetchone() is None:
                return False
            cleaned = redact(comment.strip())[:MAX_COMMENT] if comment and comment.strip() else None
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?)",
                (reply_id, _now().isoformat(timespec="seconds"), rating, cleaned),
            )
        return True

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete everything older than the retention period; returns how many replies went."""
        if not self.enabled:
            return 0
        now = now or _now()
        cutoff = (now - self.retention).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute("DELETE FROM feedback WHERE time < ?", (cutoff,))
            removed = db.execute("DELETE FROM replies WHERE time < ?", (cutoff,)).rowcount
        self._last_purge = now
        return removed

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        if not self.enabled:
            return []
        with self._connect() as db:
            return db.execute(sql, params).fetchall()

    def daily_counts(self) -> list[tuple[str, str, int]]:
        """(day, reply kind, count), oldest day first."""
        return self._rows(  # type: ignore[return-value]
            "SELECT substr(time, 1, 10) AS day, kind, count(*) FROM replies GROUP BY day, kind ORDER BY day, kind"
        )

    def gaps(self) -> list[tuple[str, str, str, str, str]]:
        """Knowledge gaps: questions that got no answer, or whose reply was disliked, newest first.

        Rows: (time, question, kind, rating, comment).
        """
        return self._rows(  # type: ignore[return-value]
            """SELECT r.time, r.question, r.kind, coalesce(f.rating, ''), coalesce(f.comment, '')
               FROM replies r LEFT JOIN feedback f USING (reply_id)
               WHERE r.question IS NOT NULL AND (r.kind = 'no_answer' OR f.rating = 'down')
               ORDER BY r.time DESC LIMIT 200"""
        )

    def audit(self, reply_id: str) -> dict[str, object] | None:
        """Which index generation and document versions produced a reply ("why did the bot say that?")."""
        rows = self._rows(
            "SELECT time, kind, index_version, cited_documents FROM replies WHERE reply_id = ?", (reply_id,)
        )
        if not rows:
            return None
        time, kind, version, documents = rows[0]
        return {"time": time, "kind": kind, "index_version": version, "documents": json.loads(str(documents))}

    def export_csv(self) -> str:
        """Every stored reply with its feedback, one row each."""
        rows = self._rows(
            """SELECT r.reply_id, r.time, r.kind, coalesce(r.question, ''), r.cited_documents, r.index_version,
                      coalesce(f.rating, ''), coalesce(f.comment, '')
               FROM replies r LEFT JOIN feedback f USING (reply_id) ORDER BY r.time"""
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
        return out.getvalue()

    def topics(self, encode: Callable[[list[str]], np.ndarray], limit: int = 10) -> list[Topic]:
        """The most asked topics: questions grouped by meaning with the embedding model."""
        questions = [str(q) for (q,) in self._rows("SELECT question FROM replies WHERE question IS NOT NULL")]
        if not questions:
            return []
        vectors = encode(questions)
        centres: list[int] = []
        members: list[list[int]] = []
        for i, vector in enumerate(vectors):  # greedy leader clustering: fine for thousands of questions
            sims = [float(vectors[c] @ vector) for c in centres]
            best = int(np.argmax(sims)) if sims else -1
            if best >= 0 and sims[best] >= TOPIC_SIMILARITY:
                members[best].append(i)
            else:
                centres.append(i)
                members.append([i])
        topics = []
        for group in members:
            mean = vectors[group].mean(axis=0)
            label = questions[max(group, key=lambda i: float(vectors[i] @ mean))]
            topics.append(Topic(label, len(group)))
        return sorted(topics, key=lambda t: t.count, reverse=True)[:limit]
