"""Text analysis shared by indexing and querying.

Whoosh's default analyzer splits "7,000" into "7" and "000", splits
"counter-terrorism" into two unrelated words and knows nothing of British and
American spellings. The analyzers here normalise those forms so that a query
and a page meet:

* numbers: "7,000" and "7000" are both ``7000``; "65%" and "65 per cent" are
  both ``65 percent``; years and decimals are kept as written;
* compounds: "counter-terrorism" is indexed as ``counterterrorism`` and as
  its parts ``counter terrorism``, so the hyphenated, spaced and joined forms
  all meet; apostrophes are dropped ("Da'esh" is ``daesh``) and a possessive
  "'s" is removed;
* spelling: in stemmed fields American spellings become British before
  Porter stemming ("-ize/-ization/-yze" as "-ise/-isation/-yse", and the
  words of data/spellings.tsv: "center" as "centre", "program" as
  "programme"), so "radicalization" meets "radicalisation";
* agents and isms: after stemming "-ist" is dropped, so "terrorist" meets
  "terrorism" and "extremist" meets "extremism".
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

from .text import plain

TOKEN_PATTERN = r"\d+(?:[.,]\d+)*%?|\w+(?:[-'’‘‐‑][\w]+)*"
TOKEN = re.compile(TOKEN_PATTERN)  # one word as the tokenizer finds it
# English function words (pronouns, auxiliaries, conjunctions, particles such
# as "now", "up" and "than", the light verbs get, go, take, make, bring and happen,
# and the linking verb become): they carry no subject, so a question's own
# words decide its answer, not its framing ("I'm writing an essay and I need
# ..."). Words that change what is asked (not, other, more, before, against)
# are not among them. Phrases in quotes still match every word.
# Words that only colour a question ("what does CONTEST actually consist
# of"): never searched, and no part of a term asked about.
FILLER_WORDS = ("actually", "really", "basically", "exactly", "honestly", "literally", "simply")
FUNCTION_WORDS = frozenset(
    ["i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "into", "through", "to", "from", "up", "down", "in", "out", "on", "off", "then", "once", "here", "there", "any", "each", "some", "such", "so", "than", "too", "very", "can", "will", "just", "should", "could", "would", "might", "shall", "now", "im", "ive", "id", "youre", "dont", "get", "gets", "got", "getting", "go", "goes", "going", "gone", "went", "take", "takes", "took", "taking", "make", "makes", "making", "become", "becomes", "became", "becoming", "happen", "happens", "happened", "happening", "bring", "brings", "brought", "bringing"]
) | frozenset(FILLER_WORDS)
# Prepositions and adverbs that qualify what is asked (when, where, how
# much, how exclusively) without naming it: "after" in "how are terrorism
# cases reviewed after release", "still" and "only" in "is the MAC still only
# a pilot". They are searched, but weigh less than the words that name the
# subject in how much of a question a paragraph covers, and are never key
# terms an answer must hold (search.py). Within a phrase or glossary term
# ("looked after", "behind bars") they weigh as the phrase.
QUALIFYING_WORDS = frozenset(
    ["after", "before", "during", "since", "over", "under", "still", "only", "also", "again", "ever", "already",
     "across", "around", "behind", "beyond", "between", "among", "within", "against", "without", "more", "most", "other"]
)
# Words that tell how the asker came to ask ("my colleague mentioned ...",
# "I think it was ...", "what is it called", "is Prevent like the prevention
# bit"): searched, but never a key term, as no answer needs to hold them.
NARRATIVE_WORDS = frozenset(
    ["mentioned", "mention", "mentions", "saying", "said", "say", "says", "told", "think", "thinking", "thought", "know",
     "knew", "want", "wanted", "wants", "called", "like", "else", "somewhere", "apparently", "bit"]
)
# Prefixes that a hyphen binds to a word ("ex-offender", "post-attack",
# "non-compliance"): the word after them still names the thing, so a
# question's hyphened word also finds it, at reduced weight. Not "anti" or
# "counter": "anti-terror" would find every page's "terrorism".
BOUND_PREFIXES = frozenset(["ex", "pre", "post", "non", "co", "re", "de", "mid", "sub", "semi", "multi", "inter", "over", "under"])
# A stop word that changes what is asked ("what does the MAC not do"): searched
# in the unstemmed field, which keeps stop words.
NEGATIONS = frozenset(["not"])
QUESTION_WORDS = FUNCTION_WORDS | frozenset(
    ["what", "which", "who", "whom", "whose", "when", "where", "why", "how", "many", "much", "often", "tell", "please", "mean",
     "means", "meaning", "define", "definition", "explain", "describe", "according", "page", "pages", "website", "site",
     "actually", "really", "basically", "honestly", "literally", "exactly", "anyway", "kindly", "simply", "even",
     "roughly", "approximately", "approx",
     "someone", "somebody", "something", "anyone", "anybody", "anything", "stuff", "thing", "things",
     "etc", "wonder", "wondering", "wondered", "curious", "heard", "hearing", "guess", "reckon", "thanks", "thank", "hi",
     "hello", "hey", "pls", "plz", "name", "names", "list", "summarise", "summarize", "summary", "example", "examples", "give",
     "sorry", "silly", "stupid", "dumb", "question", "questions", "quick", "ok", "okay", "um", "erm", "ways", "ones"]
)

_WH_WORDS = frozenset(["what", "which", "who", "whom", "whose", "when", "where", "why", "how"])
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_AMERICAN = re.compile(r"(?<=[a-z]{3})(?:iz|yz)(e|es|ed|er|ers|ing|ation|ations)$")
_BRITISH_ENDING = re.compile(r"(?<=[a-z]{3})([iy])s(e|es|ed|er|ers|ing|ation|ations)$")
_POSSESSIVE = re.compile(r"['’‘]s$")
_APOSTROPHES = re.compile(r"['’‘]")
_HYPHENS = re.compile(r"[-‐‑]")


def title_cased(text: str) -> bool:
    """Whether TEXT is typed in title case, every word capitalised ("How
    Many People Are Referred To Prevent"): a capital then says nothing of
    a word being a name. A capitalised function word after the first word
    ("Are", "The") or a question word first ("Who Runs MI5") tells it from
    a name of several words ("Counter Terrorism Policing"); a word in
    capitals is still an acronym."""
    words = [w for w in TOKEN.findall(text) if any(c.isalpha() for c in w)]
    if len(words) < 3 or shouted(text) or not all(w[:1].isupper() for w in words):
        return False
    return words[0].lower() in _WH_WORDS or any(w.lower() in QUESTION_WORDS or w.lower() in STOP_WORDS
                                              for w in words[1:] if not w.isupper())


def shouted(text: str) -> bool:
    """Whether TEXT, of more than one word, is typed all in capitals ("WHAT
    ARE THE AIMS OF PREVENT"): its capitals then say nothing of its words
    (no acronyms, no names)."""
    return len(TOKEN.findall(text)) > 1 and any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def normalise_word(word: str) -> list[str]:
    """Return the index forms of one tokenizer word, in order.

    The first form is the whole word (numbers without thousands separators,
    compounds joined, apostrophes dropped); for a compound the parts follow.
    A trailing "%" adds the form "percent".
    """
    word = word.lower()
    if word == "cannot":
        # "Cannot" is "can not": a negated question meets it.
        return ["cannot", "can", "not"]
    if word.isalpha():
        return [word]
    forms: list[str] = []
    if word[0].isdigit():
        percent = word.endswith("%")
        number = word.rstrip("%")
        if _THOUSANDS.match(number):
            number = number.replace(",", "")
        forms.append(number)
        if percent:
            forms.append("percent")
        return forms
    word = _POSSESSIVE.sub("", word)
    word = _APOSTROPHES.sub("", word)
    parts = [p for p in _HYPHENS.split(word) if p]
    forms.append("".join(parts))
    if len(parts) > 1:
        forms.extend(parts)
    return forms


def british(word: str) -> str:
    """Return WORD in its British spelling: "center" as "centre", "defense" as
    "defence" (data/spellings.tsv), an -ize/-yze ending as -ise/-yse."""
    spelt = _spellings().get(word)
    return spelt if spelt is not None else british_ending(word)


def british_ending(word: str) -> str:
    """Return WORD with an American -ize/-yze ending in its British -ise/-yse form."""
    return _AMERICAN.sub(lambda m: ("is" if m.group(0).startswith("i") else "ys") + m.group(1), word)


def american(word: str) -> str:
    """Return the American spelling whose British form is WORD ("centre" as
    "center", "organise" as "organize"): a candidate to look up in a word
    list, since an -ise word may have no -ize form ("otherwise")."""
    spelt = _americans().get(word)
    return spelt if spelt is not None else _BRITISH_ENDING.sub(lambda m: m.group(1) + "z" + m.group(2), word)


@cache
def _americans() -> dict[str, str]:
    return {uk: us for us, uk in _spellings().items()}


@cache
def _spellings() -> dict[str, str]:
    """American spellings and their British ones (see tools/make_spellings.py)."""
    path = os.path.join(os.path.dirname(__file__), "data", "spellings.tsv")
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f if not line.startswith("#"))


class NormaliseFilter(Filter):
    """Apply normalise_word to each token, renumbering positions.

    The joined form of a compound shares the position of its first part, so
    phrases over the parts still match. "per cent" becomes "percent".
    """

    def __call__(self, tokens):
        pos = -1
        pending_per = None
        for t in tokens:
            forms = normalise_word(plain(t.text)) if t.text else []
            if not forms:
                continue
            if pending_per is not None:
                per = pending_per
                pending_per = None
                if forms == ["cent"]:
                    pos += 1
                    per.text = "percent"
                    if t.positions:
                        per.pos = pos
                    if t.chars:
                        per.endchar = t.endchar
                    yield per
                    continue
                pos += 1
                if per.positions:
                    per.pos = pos
                yield per
            if forms == ["per"]:
                pending_per = t.copy()
                pending_per.text = "per"
                continue
            start = pos + 1
            for k, form in enumerate(forms):
                t.text = form
                if t.positions:
                    # forms[0] is the whole word; parts follow it from the same
                    # position; "percent" after a number takes the next one.
                    if k == 0 or form == "percent":
                        t.pos = pos = start + (1 if form == "percent" else 0)
                    else:
                        t.pos = pos = start + k - 1
                yield t
        if pending_per is not None:
            if pending_per.positions:
                pending_per.pos = pos + 1
            yield pending_per


class AgentFilter(Filter):
    """Conflate "-ist" with "-ism" after stemming: Porter leaves "terrorist"
    but makes "terrorism" "terror"; both become "terror" (likewise
    extremist/extremism, Islamist/Islamism)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = agent(t.text)
            yield t


_VOWELS = frozenset("aeiou")


def _consonant(word: str, i: int) -> bool:
    """Whether WORD[I] is a consonant in Porter's sense ("y" after a
    consonant is a vowel). A run of y's alternates; counted, not recursed."""
    if word[i] in _VOWELS:
        return False
    run = 0
    while i - run >= 0 and word[i - run] == "y":
        run += 1
    if run == 0:
        return True
    start = i - run + 1
    # The first y of the run is a consonant unless a consonant precedes it.
    first = start == 0 or word[start - 1] in _VOWELS
    return first if run % 2 == 1 else not first


def _measure(word: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in WORD."""
    kinds = "".join("c" if _consonant(word, i) else "v" for i in range(len(word)))
    return len(re.findall(r"v+c+", kinds))


def porter(word: str) -> str:
    """Porter's stem of WORD, consistent across a word's forms. Whoosh's
    stemmer drops "-ed" and "-ing" without Porter's repairs after it, so
    "operating" stayed "operat" where "operates" is "oper", and "stopped"
    "stopp" where "stops" is "stop". The repairs are made here (restore the
    "e" of "operate" and "hope", undouble "stopp"), and a stem ending in a
    doubled consonant is undoubled ("referr" of "referral" meets "refer")."""
    for suffix in ("ing", "ed"):
        if not word.endswith(suffix) or word.endswith("eed"):
            continue
        base = word[: -len(suffix)]
        if all(_consonant(base, i) for i in range(len(base))):
            break
        if base.endswith(("at", "bl", "iz")):
            base += "e"
        elif len(base) > 1 and base[-1] == base[-2] and base[-1] not in "lsz" and _consonant(base, len(base) - 1):
            base = base[:-1]
        elif _measure(base) == 1 and _cvc(base):
            base += "e"
        else:
            break
        return _undoubled(porter_stem(base))
    return _undoubled(porter_stem(word))


def _cvc(word: str) -> bool:
    """Whether WORD ends consonant-vowel-consonant, the last not w, x or y ("hop")."""
    n = len(word)
    return n >= 3 and _consonant(word, n - 3) and not _consonant(word, n - 2) and _consonant(word, n - 1) \
        and word[-1] not in "wxy"


def _undoubled(stem: str) -> str:
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz" and _consonant(stem, len(stem) - 1):
        return stem[:-1]
    return stem


def agent(stem: str) -> str:
    """STEM with an agent's "-ist" dropped (see AgentFilter)."""
    return stem[:-3] if len(stem) > 7 and stem.endswith("ist") else stem


class BritishFilter(Filter):
    """Rewrite American spellings to British ones (see british)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = british(t.text)
            yield t


def plain_analyzer():
    """Unstemmed analysis: the words as written, normalised but not stemmed.

    Used for exact matches, wildcards and "did you mean" suggestions.
    """
    return RegexTokenizer(TOKEN_PATTERN) | NormaliseFilter()


def stemmed_analyzer():
    """Stemmed analysis for ranking: normalised, stop words out, British, Porter."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | NormaliseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | BritishFilter()
        | StemFilter(stemfn=porter, cachesize=50000)
        | AgentFilter()
    )


@cache
def _shared():
    return plain_analyzer(), stemmed_analyzer()


def plain_terms(text: str) -> list[str]:
    """The unstemmed index terms of TEXT, in order."""
    return [t.text for t in _shared()[0](text)]


def stemmed_terms(text: str) -> list[str]:
    """The stemmed index terms of TEXT, in order (stop words left out)."""
    return [t.text for t in _shared()[1](text)]


def plain_term_set(text: str) -> frozenset[str]:
    """The set of unstemmed index terms of TEXT: what ``plain_terms`` gives, as
    a set, without building the analyzer's token objects."""
    found: set[str] = set()
    per = False
    for word in TOKEN.findall(text):
        # plain() changes nothing in an ASCII word (it has no white space).
        forms = normalise_word(word if word.isascii() else plain(word))
        if not forms:
            continue
        if per:
            per = False
            if forms == ["cent"]:
                found.add("percent")
                continue
            found.add("per")
        if forms == ["per"]:
            per = True
            continue
        found.update(forms)
    if per:
        found.add("per")
    return frozenset(found)


class PassageTerms:
    """The index terms of a passage, for asking whether it holds a few: its
    unstemmed terms, and its stems found on demand by their first letter (a
    stem begins with its word's first letter), so a question's stems cost
    the stemming of the words that could give them only."""

    __slots__ = ("_stems", "plain")

    def __init__(self, text: str) -> None:
        self.plain = plain_term_set(text)
        self._stems: dict[str, frozenset[str]] = {}

    def has_stem(self, stem: str) -> bool:
        """Whether a word of the passage has the stemmed index term STEM."""
        initial = stem[:1]
        stems = self._stems.get(initial)
        if stems is None:
            words = (form for form in self.plain if form[:1] == initial)
            stems = self._stems[initial] = frozenset(s for s in map(stem_word, words) if s)
        return stem in stems


_LOWER_ALPHA = re.compile("[a-z]+")


@lru_cache(maxsize=16384)
def stem_word(word: str) -> str | None:
    """The stemmed index term of one normalised word, or None for a stop word
    (remembered: questions and passages repeat the same words)."""
    if _LOWER_ALPHA.fullmatch(word):
        # What the stemmed analyzer does to a plain word, without its tokens.
        return None if word in STOP_WORDS else agent(porter(british(word)))
    terms = [t.text for t in _shared()[1](word)]
    return terms[0] if terms else None


def is_stop_word(word: str) -> bool:
    """Whether WORD is dropped from ranking (a stop word)."""
    return word in STOP_WORDS


def is_searched(key: str) -> bool:
    """Whether a normalised word of a question is searched: not empty, and
    neither a stop word nor a question or function word."""
    return bool(key) and (key not in STOP_WORDS or key in NEGATIONS) and key not in QUESTION_WORDS


def spans(text: str) -> list[tuple[int, int, str, str | None]]:
    """(start, end, plain term, stemmed term) for each word of TEXT.

    Used to highlight matched words and to explain matches: offsets are into
    TEXT itself. Compound parts are not listed separately.
    """
    out: list[tuple[int, int, str, str | None]] = []
    seen_end = -1
    for t in _shared()[0](text, positions=True, chars=True):
        if t.startchar < seen_end:
            continue
        seen_end = t.endchar
        out.append((t.startchar, t.endchar, t.text, stem_word(t.text) if not is_stop_word(t.text) else None))
    return out
