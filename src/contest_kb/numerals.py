"""Numbers written in words ("seven thousand", "twelve") and in figures."""

from __future__ import annotations

import re
from collections.abc import Sequence

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SMALL = {word: n for n, word in enumerate(_UNITS)} | {word: 20 + 10 * k for k, word in enumerate(_TENS)}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
WORD_OF = {n: word for word, n in SMALL.items()}


def other_numeral(word: str) -> str | None:
    """A number from 2 to 90 in the other way of writing it ("12" for
    "twelve", "twelve" for "12"); "one" and "1" stand for too much else."""
    if word.isdigit():
        # Only ASCII digits: "²" is a digit to str.isdigit, not to int().
        value = int(word) if len(word) <= 2 and word.isascii() else 0
        return WORD_OF[value] if value >= 2 and value in WORD_OF else None
    value = SMALL.get(word, 0)
    return str(value) if value >= 2 else None


def value_of(words: Sequence[str]) -> int | None:
    """The number WORDS (lower case) spell, or None when they spell none:
    "seven thousand" 7000, "five hundred and twenty" 520, "thirty one" 31;
    "six and twelve" and "one two" spell none."""
    total = current = 0
    last = ""
    for k, word in enumerate(words):
        if word == "and":
            if last not in SCALES or k == len(words) - 1:
                return None
            last = word
            continue
        if word in SMALL:
            # A word below twenty follows nothing but a ten, a scale or "and".
            if last in SMALL and not (last in _TENS and 0 < SMALL[word] < 10):
                return None
            current += SMALL[word]
        elif word == "hundred":
            if last not in SMALL or current >= 100:
                return None
            current *= 100
        elif word in SCALES:
            if last not in SMALL and last != "hundred":
                return None
            total += current * SCALES[word]
            current = 0
        else:
            return None
        last = word
    return total + current if last else None


_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
          "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
          "tenth": 10, "tenths": 10}


def share_of(words: Sequence[str]) -> float | None:
    """The share WORDS (lower case) spell as a fraction, or None: "two
    thirds" 2/3, "a quarter" 1/4, "one in five" 1/5, "3 out of 4" 3/4."""
    if len(words) == 2 and words[1] in _PARTS:
        count = 1 if words[0] in ("a", "an", "one") else _count(words[0])
        return count / _PARTS[words[1]] if count and count < _PARTS[words[1]] else None
    if (len(words) == 3 and words[1] == "in") or (len(words) == 4 and tuple(words[1:3]) == ("out", "of")):
        count, whole = _count(words[0]), _count(words[-1])
        return count / whole if count and whole and count < whole else None
    return None


def _count(word: str) -> int:
    """A small whole number in figures or words ("3", "three"), else 0."""
    if word.isdigit() and word.isascii() and len(word) <= 3:
        return int(word)
    return SMALL.get(word, 0)


_WORD = "(?:" + "|".join(sorted([*SMALL, *SCALES], key=len, reverse=True)) + ")"
_SPELLED = re.compile(rf"\b{_WORD}(?:(?:\s+and\s+|[\s-]+){_WORD})+\b", re.IGNORECASE)


# A figure with a scale: "7k", "31K", "1.8k", "3bn", "2.5 million", "7 thousand".
_SCALED = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{1,3})?)(?:(k|bn)|\s+(thousand|million|billion))\b", re.IGNORECASE)
_SHORT_SCALES = {"k": 1_000, "bn": 1_000_000_000}


def in_figures(text: str) -> str:
    """TEXT with each number spelled in more than one word, or written with a
    scale ("7k", "2.5 million"), outside quotation marks written in figures
    ("seven thousand" and "7k" as "7000"): pages give such numbers in
    figures, and a figure is what the question asks about."""

    def quoted(match: re.Match[str]) -> bool:
        return text.count('"', 0, match.start()) % 2 == 1

    def figures(match: re.Match[str]) -> str:
        value = None if quoted(match) else value_of(re.split(r"[\s-]+", match.group().lower()))
        return match.group() if value is None else str(value)

    def scaled(match: re.Match[str]) -> str:
        number, short, word = match.groups()
        scale = _SHORT_SCALES[short.lower()] if short else SCALES[word.lower()]
        units, _, decimals = number.partition(".")
        value = int(units + decimals) * scale // 10 ** len(decimals)
        return match.group() if quoted(match) else str(value)

    text = _SPELLED.sub(figures, text)
    return _SCALED.sub(scaled, text)
