"""Write small PDFs for the tests: text in the standard Helvetica fonts at
given positions and sizes, several pages, an optional document information
dictionary. Only what the ingest tests need; no dependency."""

from __future__ import annotations

from collections.abc import Sequence

# One line of text on a page: (x, y, size, text, bold).
Line = tuple[float, float, float, str, bool]


def _escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: Sequence[Line]) -> bytes:
    out = [b"BT"]
    for x, y, size, text, bold in lines:
        font = b"/F2" if bold else b"/F1"
        out.append(font + b" %g Tf 1 0 0 1 %g %g Tm (" % (size, x, y) + _escape(text) + b") Tj")
    out.append(b"ET")
    return b"\n".join(out)


def make_pdf(pages: Sequence[Sequence[Line]], info: dict[str, str] | None = None, width: float = 595, height: float = 842) -> bytes:
    """The bytes of a PDF with PAGES (each a list of lines) and INFO (e.g.
    {"Title": ..., "CreationDate": "D:20230718000000Z"})."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_obj = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = _content(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (pages_obj, width, height, content, regular, bold)
        ))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    info_ref = None
    if info:
        entries = b" ".join(b"/" + k.encode() + b" (" + _escape(v) + b")" for k, v in info.items())
        info_ref = add(b"<< " + entries + b" >>")

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_ref:
        trailer += b" /Info %d 0 R" % info_ref
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def flow(paragraphs: Sequence[tuple[str, str]], top: float = 760, left: float = 72, width_chars: int = 80,
         body: float = 10, leading: float = 13, gap: float = 0.8, indent: float = 0) -> list[Line]:
    """Lay out (kind, text) paragraphs down a column: kind "h" is a bold
    heading at 14 pt, "p" a paragraph wrapped at WIDTH_CHARS with GAP times
    LEADING after it and its first line indented by INDENT points, "b" a
    bullet."""
    import textwrap

    lines: list[Line] = []
    y = top
    for kind, text in paragraphs:
        if kind == "h":
            y -= 6
            lines.append((left, y, 14, text, True))
            y -= leading + 8
            continue
        prefix = "• " if kind == "b" else ""
        for k, part in enumerate(textwrap.wrap(text, width_chars)):
            shift = (indent if k == 0 else 0) if not prefix else (0 if k == 0 else 10)
            lines.append((left + shift, y, body, (prefix if k == 0 else "") + part, False))
            y -= leading
        y -= 0 if kind == "b" else leading * gap
    return lines
