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


_KEY_DROP = re.compile(r"[^0-9a-z]+")


def dedup_key(text: str) -> str:
    """Return a key equal for two paragraphs that differ only in typography,
    case, punctuation or quotation marks (the same passage published twice)."""
    return _KEY_DROP.sub("", plain(text).lower())
