"""Build small real files of each format for tests (no binary fixtures in the repository)."""

from __future__ import annotations

import io
from pathlib import Path


def pdf_bytes(lines: list[str], title: str | None = None) -> bytes:
    """A minimal one-page PDF with a real text layer, built by hand (offsets computed, so it is valid)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(f"<< /Title ({title}) /Subject (reviewed: 2026-05-01; review_by: 2027-05-01) >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    info = f" /Info {len(objects)} 0 R" if title else ""
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf_bytes(lines: list[str]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(lines))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(title: str, sections: dict[str, list[str]], comments: str = "") -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.comments = comments
    for heading, paragraphs in sections.items():
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML_PAGE = """<!doctype html><html><head><title>Injection Day Guide</title>
<meta name="reviewed" content="2026-09-01"><meta name="review-by" content="2027-09-01">
<link rel="canonical" href="https://clinic.example/injection-day">
<script>var tracking = "SCRIPT-TEXT";</script><style>.x{color:red}</style></head>
<body><nav><a href="/">Home</a> NAV-TEXT</nav><header>HEADER-TEXT</header>
<main><h1>Injection Day Guide</h1><h2>Before you arrive</h2><p>Eat a light breakfast before the injection.</p>
<ul><li>Bring your medication list.</li><li>Wear loose clothing.</li></ul>
<h2>After the injection</h2><p>Rest for the remainder of the day.</p></main>
<footer>FOOTER-TEXT</footer></body></html>"""


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path
