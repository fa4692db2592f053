"""Micro-batching for the serving path: concurrent questions share one model call.

A model call on a batch of 16 short questions costs little more than a call on one, so under load the server
embeds whatever questions are waiting in a single call instead of one call each. ``BatchingEncoder`` is an
``TextEncoder`` (a model id, and a list of texts in, a matrix of unit vectors out) wrapping the process's
``Embedder``, and plugs into ``Assistant(encoder=…)``:

1. a request thread looks its texts up in a small LRU cache of recent questions' vectors;
2. the misses join a queue, and the thread waits;
3. one worker thread takes everything queued (at most ``max_batch`` texts), embeds it in one call and wakes
   each waiting thread with its rows. While the model runs, new questions queue up for the next call.

Only while calls are being shared (the previous call served more than one request) does the worker wait up
to ``max_wait`` seconds for more questions before calling the model; a lone client never waits.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

import numpy as np

from bot.embedding import DIMENSION, TextEncoder

DEFAULT_MAX_WAIT = 0.002
"""Seconds the worker lingers for more questions under load: small against a ~10 ms model call."""
DEFAULT_MAX_BATCH = 64
DEFAULT_CACHE_SIZE = 2048


@dataclass
class _Request:
    texts: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    vectors: np.ndarray | None = None
    error: BaseException | None = None


@dataclass
class BatchStats:
    """Counters, for benchmarks and for a curious operator: how much sharing and caching happened."""

    calls: int = 0  # model calls
    texts: int = 0  # texts sent to the model
    requests: int = 0  # encode() calls that reached the model
    cache_hits: int = 0  # texts answered from the cache
    lingered: int = 0  # times the worker waited for more questions before a model call


class _LRU:
    """A thread-safe least-recently-used map of text to vector."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        if self.size <= 0:
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: np.ndarray) -> None:
        if self.size <= 0:
            return
        value.setflags(write=False)  # shared between requests: nobody may change it in place
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class BatchingEncoder:
    """A ``TextEncoder`` that merges concurrent callers' texts into one call of its model. Thread-safe.

    Args:
        model: the process's ``Embedder`` (or any ``TextEncoder``); its ``model_id`` is passed through.
        max_wait: seconds to wait for more questions before a call, only while calls are being shared.
        max_batch: most texts in one model call.
        cache_size: recent texts whose vectors are kept; 0 turns the cache off.
    """

    def __init__(
        self,
        model: TextEncoder,
        *,
        max_wait: float = DEFAULT_MAX_WAIT,
        max_batch: int = DEFAULT_MAX_BATCH,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.model = model
        self.max_wait = max_wait
        self.max_batch = max_batch
        self.stats = BatchStats()
        self._cache = _LRU(cache_size)
        self._queue: deque[_Request] = deque()
        self._ready = threading.Condition()
        self._worker: threading.Thread | None = None
        self._shared = False  # did the last model call serve more than one request?

    @property
    def model_id(self) -> str:
        return self.model.model_id

    def encode(self, texts: list[str]) -> np.ndarray:
        found = [self._cache.get(text) for text in texts]
        missing = list(dict.fromkeys(text for text, vector in zip(texts, found, strict=True) if vector is None))
        self.stats.cache_hits += len(texts) - len(missing)
        if missing:
            request = _Request(missing)
            with self._ready:
                self._start()
                self._queue.append(request)
                self._ready.notify()
            request.done.wait()
            if request.error is not None:
                raise request.error
            assert request.vectors is not None
            fresh = dict(zip(missing, request.vectors, strict=True))
            found = [vector if vector is not None else fresh[text] for text, vector in zip(texts, found, strict=True)]
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.stack(found)

    def _start(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="batching-encoder", daemon=True)
            self._worker.start()

    def _take(self) -> list[_Request]:
        """Wait for work, then take queued requests up to ``max_batch`` texts (always at least one request)."""
        with self._ready:
            while not self._queue:
                self._ready.wait()
            if self._shared and self.max_wait > 0:
                self.stats.lingered += 1
                deadline = time.monotonic() + self.max_wait
                while sum(len(r.texts) for r in self._queue) < self.max_batch:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._ready.wait(left)
            taken = [self._queue.popleft()]
            total = len(taken[0].texts)
            while self._queue and total + len(self._queue[0].texts) <= self.max_batch:
                request = self._queue.popleft()
                taken.append(request)
                total += len(request.texts)
            return taken

    def _run(self) -> None:
        while True:
            requests = self._take()
            self._shared = len(requests) > 1
            texts = list(dict.fromkeys(text for request in requests for text in request.texts))
            try:
                vectors = self.model.encode(texts)
            except BaseException as exc:  # every waiting caller gets the error instead of hanging
                for request in requests:
                    request.error = exc
                    request.done.set()
                continue
            row = {text: np.array(vectors[i], dtype=np.float32) for i, text in enumerate(texts)}  # own copies
            for text, vector in row.items():
                self._cache.put(text, vector)
            self.stats.calls += 1
            self.stats.texts += len(texts)
            self.stats.requests += len(requests)
            for request in requests:
                request.vectors = np.stack([row[text] for text in request.texts])
                request.done.set()
