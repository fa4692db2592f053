"""Print the support table of docs/content-checks.md: every shipped FAQ answer sentence against its section.

Run from the project root: ``.venv/bin/python -m bench.content_checks``.
"""

from __future__ import annotations

from bot.content_checks import SUPPORT_THRESHOLD, claim_sentences, document_pieces, passages, section_texts
from bot.documents import load_document
from bot.embedding import Embedder
from bot.faq import FAQ_FILE, load_faq
from bot.ingestion import knowledge_files
from bot.settings import Settings


def main() -> None:
    settings = Settings()
    knowledge = settings.knowledge_dir
    docs = [load_document(knowledge, path) for path in knowledge_files(knowledge)]
    cited = section_texts(document_pieces(docs))
    embedder = Embedder.from_settings(settings)
    print("| entry | best similarity | supported | answer sentence |")
    print("| --- | ---: | --- | --- |")
    for entry in load_faq(knowledge / FAQ_FILE):
        text = cited(entry)
        if text is None:
            print(f"| `{entry.id}` | | **section missing** | |")
            continue
        units = passages(claim_sentences(text))
        sentences = claim_sentences(entry.answer)
        unit_vectors = embedder.encode(units)
        for sentence, vector in zip(sentences, embedder.encode(sentences), strict=True):
            best = float((unit_vectors @ vector).max())
            shown = sentence if len(sentence) < 70 else sentence[:67] + "..."
            verdict = "yes" if best >= SUPPORT_THRESHOLD else "**no**"
            print(f"| `{entry.id}` | {best:.2f} | {verdict} | {shown} |")


if __name__ == "__main__":
    main()
