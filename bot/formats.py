"""Converters from HTML, PDF and Word files to Markdown plus metadata (title, source, review dates).

Each takes the file's bytes and returns ``(markdown, metadata)``, or raises ``FormatError`` with a reason
staff can act on ("the PDF is encrypted"). Metadata keys: ``title``, ``source``, ``reviewed``, ``review_by``, ``role``.
"""

from __future__ import annotations

import io
import re

from bs4 import BeautifulSoup, UnicodeDammit

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
)
"""Page furniture, not content: navigation, scripts and the like never reach the index."""
META_KEYS = {
    "reviewed": "reviewed",
    "last-reviewed": "reviewed",
    "review-by": "review_by",
    "review_by": "review_by",
    "source": "source",
    "dc.source": "source",
    "role": "role",
}


class FormatError(ValueError):
    """A file that cannot be read as the format its name says."""


def html_to_markdown(data: bytes) -> tuple[str, dict[str, object]]:
    """Main text of an HTML page (``<main>``/``<article>`` when present) with its headings, as Markdown."""
    if not data.strip():
        raise FormatError("the file is empty")
    if b"\x00" in data[:8192]:
        raise FormatError("the file is binary, not HTML")
    text = UnicodeDammit(data, is_html=True).unicode_markup
    if text is None:
        raise FormatError("the page's text encoding cannot be read")
    soup = BeautifulSoup(text, "lxml")
    meta: dict[str, object] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    for tag in soup.find_all("meta"):
        key = META_KEYS.get(str(tag.get("name", "")).lower())
        if key and tag.get("content"):
            meta[key] = str(tag["content"]).strip()
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href") and "source" not in meta:
        meta["source"] = str(canonical["href"])
    for tag in soup(DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "blockquote", "pre"]):
        if element.find_parent(["li", "td", "blockquote"]) and element.name in ("p", "li"):
            continue  # already part of an enclosing item
        words = " ".join(element.get_text(" ", strip=True).split())
        if not words:
            continue
        if element.name.startswith("h"):
            lines.append(f"\n{'#' * int(element.name[1])} {words}\n")
        elif element.name == "li":
            lines.append(f"- {words}")
        else:
            lines.append(f"\n{words}\n")
    return "\n".join(lines).strip(), meta


def pdf_to_markdown(data: bytes) -> tuple[str, dict[str, object]]:
    """The text layer of a PDF, one paragraph per block of lines; scanned pages have none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FormatError("the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FormatError(f"the PDF is damaged or not a PDF ({exc.__class__.__name__})") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; every one means "cannot read"
        raise FormatError(f"the PDF cannot be read ({exc.__class__.__name__})") from exc
    text = "\n\n".join(re.sub(r"[ \t]+\n", "\n", page).strip() for page in pages if page.strip())
    if not text.strip():
        raise FormatError("the PDF has no text layer (a scan?); export it with text or run OCR first")
    meta: dict[str, object] = {}
    if info.get("/Title"):
        meta["title"] = str(info["/Title"])
    meta.update(_key_values(str(info.get("/Subject", "")) + "\n" + str(info.get("/Keywords", ""))))
    return text, meta


def docx_to_markdown(data: bytes) -> tuple[str, dict[str, object]]:
    """A Word document's paragraphs, with "Heading N" styles as Markdown headings and lists as items."""
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FormatError(f"the Word file is damaged or not a .docx ({exc.__class__.__name__})") from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        words = " ".join(paragraph.text.split())
        if not words:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            lines.append(f"\n# {words}\n")
        elif level:
            lines.append(f"\n{'#' * min(int(level.group(1)) + 1, 6)} {words}\n")
        elif "List" in style:
            lines.append(f"- {words}")
        else:
            lines.append(f"\n{words}\n")
    props = document.core_properties
    meta: dict[str, object] = {"title": props.title} if props.title else {}
    meta.update(_key_values(f"{props.subject or ''}\n{props.comments or ''}\n{props.keywords or ''}"))
    return "\n".join(lines).strip(), meta


def _key_values(text: str) -> dict[str, object]:
    """``reviewed: 2026-01-01; review_by: 2027-01-01; source: ...; role: claims`` written in a document's properties."""
    found: dict[str, object] = {}
    for key, value in re.findall(r"(reviewed|review[_ -]by|source|role)\s*[:=]\s*([^;\n]+)", text, re.IGNORECASE):
        found[key.lower().replace(" ", "_").replace("-", "_")] = value.strip()
    return found
