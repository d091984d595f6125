"""Find the quotations in a Markdown briefing, for ``quote --from``.

A quotation is a blockquote (consecutive ``>`` lines, joined), or text in
quotation marks within a paragraph: "straight" or “curly” double quotes,
‘single curly quotes’ (as UK writers use them; an apostrophe such as
"Government’s" is not a quotation mark), «guillemets» or „low-high“ quotes.
A paragraph's lines are joined first, so a quotation may wrap. Code fences
and inline code are skipped. Quotation marks around fewer than
MIN_QUOTE_WORDS words are taken as scare quotes and counted, not checked; an
opening mark that is never closed is reported, never dropped.
"""

from __future__ import annotations

import re

MIN_QUOTE_WORDS = 6

# Opening mark -> the marks that may close it.
_PAIRS = {'"': '"', "“": "”\"", "„": "“”", "«": "»", "‘": "’", "‚": "‘’"}
_BLOCKQUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_OPEN_BEFORE = " \t([{—–-/"


class Extracted:
    """What a briefing holds: QUOTATIONS (line, text) to check, UNREADABLE
    (line, reason) marks that could not be read, and how many SHORT quotes
    were left unchecked."""

    def __init__(self) -> None:
        self.quotations: list[tuple[int, str]] = []
        self.unreadable: list[tuple[int, str]] = []
        self.short = 0


def strip_markdown(text: str) -> str:
    """TEXT without inline Markdown: links keep their text, emphasis and code
    marks go, a leading list marker goes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)|`+", "", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    return " ".join(text.split())


def _line_at(starts: list[int], pos: int, first_line: int) -> int:
    line = first_line
    for k, start in enumerate(starts):
        if start <= pos:
            line = first_line + k
    return line


def _is_closing(text: str, at: int, mark: str) -> bool:
    after = text[at + 1 : at + 2]
    if mark in "’‘":  # not an apostrophe inside a word ("Government’s")
        return not after.isalnum()
    return True


def _scan_paragraph(lines: list[tuple[int, str]], out: Extracted) -> None:
    starts, parts, pos = [], [], 0
    for _, line in lines:
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        starts.append(pos)
        parts.append(line)
        pos += len(line) + 1
    text = " ".join(parts)
    first_line = lines[0][0]
    i = 0
    while i < len(text):
        mark = text[i]
        closers = _PAIRS.get(mark)
        before = text[i - 1] if i else " "
        if closers is None or (mark in '"‘' and before not in _OPEN_BEFORE):
            i += 1
            continue
        j = i + 1
        while j < len(text) and not (text[j] in closers and _is_closing(text, j, text[j])):
            j += 1
        at_line = _line_at(starts, i, first_line)
        if j >= len(text):
            if mark == "‘" and not text[i + 1 : i + 2].isalpha():
                i += 1  # ‘90s, ‘em: an elision, not a quotation
                continue
            out.unreadable.append((at_line, f"the quotation mark {mark} is never closed in this paragraph"))
            i += 1
            continue
        quoted = strip_markdown(text[i + 1 : j]).strip()
        if len(quoted.split()) >= MIN_QUOTE_WORDS:
            out.quotations.append((at_line, quoted))
        elif quoted:
            out.short += 1
        i = j + 1


def extract_quotations(markdown: str) -> Extracted:
    """Every quotation in a Markdown document, with its line."""
    out = Extracted()
    block: list[tuple[int, str]] = []
    para: list[tuple[int, str]] = []
    in_fence = False

    def flush() -> None:
        if block:
            text = strip_markdown(" ".join(t for _, t in block)).strip('"“”‘’')
            if text:
                out.quotations.append((block[0][0], text))
            block.clear()
        if para:
            _scan_paragraph(list(para), out)
            para.clear()

    for lineno, line in enumerate(markdown.splitlines(), 1):
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        quoted = _BLOCKQUOTE.match(line)
        if quoted:
            if para:
                flush()
            block.append((lineno, quoted.group(1)))
        elif line.strip() and not line.lstrip().startswith("#"):
            if block:
                flush()
            para.append((lineno, line))
        else:
            flush()
    flush()
    out.quotations.sort()
    return out


def quotations_in_markdown(markdown: str) -> list[tuple[int, str]]:
    """(line, text) of each quotation to check in a Markdown document."""
    return extract_quotations(markdown).quotations
