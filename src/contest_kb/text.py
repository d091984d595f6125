"""Typography-forgiving text helpers shared by the loader, search and quote."""

from __future__ import annotations

import re
import unicodedata

_TYPOGRAPHY = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",  # zero-width space
        "\ufeff": "",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_SPACES = re.compile(r"\s+")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\ufeff": ""})


def tidy(text: str) -> str:
    """Return TEXT as published, with odd spaces made plain and white space
    collapsed; quotes, dashes and case are kept."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()


def plain(text: str) -> str:
    """Return TEXT with typography folded to ASCII forms and white space collapsed.

    Non-breaking spaces, curly quotes, en and em dashes and the ellipsis become
    their plain equivalents; runs of white space (line breaks included) become
    one space. Case and words are kept.
    """
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY)
    return _SPACES.sub(" ", text).strip()


# C0 and C1 control characters, DEL, and lone surrogates (undecodable bytes).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_controls(text: str, keep_layout: bool = True) -> str:
    """TEXT without control characters: C0 and C1 controls (so an escape
    sequence loses its ESC and cannot drive a terminal), DEL and lone
    surrogates. With KEEP_LAYOUT newline and tab are kept and a carriage
    return becomes a newline; without, each becomes a space."""
    if keep_layout:
        return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL_ALL.sub(" ", text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as Python passes it on
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """TEXT with each control character and lone surrogate written as an
    escape (\\x1b; an undecodable byte as \\xff), for messages that echo
    what a user gave."""
    return _CONTROL_ALL.sub(_escape, text)


_KEY_DROP = re.compile(r"[^0-9a-z]+")


def dedup_key(text: str) -> str:
    """Return a key equal for two paragraphs that differ only in typography,
    case, punctuation or quotation marks (the same passage published twice)."""
    return _KEY_DROP.sub("", plain(text).lower())
