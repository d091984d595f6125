"""Turn what a user types into a Whoosh query over the index fields.

The text is parsed with Whoosh's own query language (AND, OR, NOT, "phrases",
wildcards, ``field:value``) against a parse-only schema that keeps each word
as typed. The tree is then rewritten for the index:

* each word becomes a *concept*: its exact form in ``plain``, its stem in
  ``body`` and, boosted, in ``heading``; glossary equivalents of the word
  (acronyms, synonyms, spellings) join the concept at a lower boost, so an
  exact match ranks above an expanded one;
* consecutive words that the glossary knows as one term ("islamic state"),
  or that are written joined in the corpus ("counter terrorism" and
  "counterterrorism"), add that term as a concept of its own;
* phrases and wildcards go to the unstemmed ``plain`` field, since stemmed
  terms cannot match a wildcard;
* ``strand:`` and ``source:`` terms become filters, and a NOT inside an OR
  group excludes rather than matching everything else;
* stop words and question words ("what", "how many") are dropped from ranking.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from contextvars import ContextVar
from functools import cache, cached_property, lru_cache
from itertools import accumulate, combinations, pairwise
from typing import TYPE_CHECKING, NamedTuple

from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema

from .analysis import (
    BOUND_PREFIXES,
    FUNCTION_WORDS,
    QUESTION_WORDS,
    TOKEN,
    TOKEN_PATTERN,
    is_searched,
    normalise_word,
    shouted,
    stem_word,
    title_cased,
)
from .errors import InvalidInput
from .intent import Intent, intent_of, without_comparing
from .numerals import in_figures, other_numeral, share_of
from .text import plain, printable, strip_controls
from .thesaurus import Thesaurus

if TYPE_CHECKING:
    from whoosh.qparser import QueryParser

_UNDECODABLE = re.compile("[\ud800-\udfff]")

HEADING_BOOST = 2.5
EXPANSION_BOOST = 0.5
PERCENT_WITHIN = 5  # points from a share in words to a percentage that stands for it
SHARE_WORDS = 4  # the longest share in words ("3 out of 4")
JOINED_LONGEST = 40  # the longest word read as two joined
FORM_BOOST = 0.8  # an irregular form of the word ("oversaw" for "overseen")
PHRASE_FORMS = 8  # the most other forms of a quoted phrase searched
SYNONYM_BOOST = 0.3  # a general English synonym ("mandatory" for "compulsory")
RESPELLED_BOOST = 1.0  # the corpus word a word known nowhere is respelled as ("survelliance")
SPANNED_WORD_WEIGHT = 0.5  # of each word of a glossary term or compound found in a question
PREFIXED_HEAD_WEIGHT = 0.5  # of "offender" in a question's "ex-offender" (or "watching" in "binge-watching"), as a related word
MAX_SYNONYMS = 3  # of the thesaurus's synonyms of a word, most common senses first
PHRASE_WORDS = 2.0
NEAR_SLOP = 2  # two words side by side in a question still meet with a word between on the page
NEAR_KINDS = frozenset(["exact", "form", "expansion", "figure"])
_INFLECTIONS = ("s", "es", "ed", "d", "ing")
FILTER_FIELDS = ("strand", "source")
# Words that open a question: a publisher's name before them is where to look.
_ASKING = frozenset(["what", "which", "how", "when", "who", "where", "why", "is", "are", "does", "do", "did", "can", "will"])
# Words after a publisher's name that make it where the answer comes from.
_SOURCE_WORDS = frozenset(["page", "pages", "site", "website", "web", "say", "says", "said", "blog", "guidance", "article", "post",
                           "fact", "press", "release", "report", "document", "leaflet", "statement",
                           # verbs of reporting: "how does London Councils explain Protect"
                           "explain", "explains", "explained", "describe", "describes", "described", "state", "states",
                           "stated", "mention", "mentions", "mentioned", "write", "writes", "wrote", "tell", "tells",
                           "told", "define", "defines", "defined", "outline", "outlines", "outlined", "claim", "claims",
                           "claimed", "put", "puts"])


# Kinds of leaf that rank a passage but never count as matching the word asked.
RANKING_AIDS = frozenset(["synonym", "related", "respelled"])


class Leaf:
    """One term the rewritten query looks for, and why (for explain).

    WORD is what the user typed, FIELD and TEXT the index term, KIND one of
    exact, joined, split, form, expansion, related, synonym, respelled,
    phrase or wildcard.
    """

    __slots__ = ("field", "kind", "query", "text", "word")

    def __init__(self, query: Q.Query, word: str, field: str, text: str, kind: str) -> None:
        self.query = query
        self.word = word
        self.field = field
        self.text = text
        self.kind = kind


class Near(NamedTuple):
    """Words to find in this order on the page, each at most SLOP places
    after the one before: a phrase whose every word (a slot) may be any of
    several. WORDS are the two words of the question it stands for."""

    words: str
    slots: tuple[tuple[str, ...], ...]
    slop: int


class Unit:
    """One thing a question asks about, for coverage (how many of the
    question's words a paragraph matches): a word of the question, or the
    words a glossary term or compound joins ("Channel panel", "counter
    terrorism"). ``query`` finds it; ``members`` holds a query for each of
    its words, ``terms`` the queries for the term itself (as typed, its
    expansions, its joined spelling)."""

    __slots__ = ("members", "query", "terms")

    def __init__(self, members: list[Q.Query], terms: list[Q.Query] | None = None) -> None:
        self.members = members
        self.terms = terms or []
        self.query: Q.Query = Q.Or([*members, *self.terms])

    def leaves(self) -> Iterable[Q.Query]:
        return self.query.leaves()

    def parts(self) -> tuple[list[list[Q.Query]], list[Q.Query]]:
        """The leaves ``query`` holds of each member, and of the term itself
        (a leaf another part already holds is searched once, in the first)."""
        kept = {id(leaf) for leaf in self.query.leaves()}
        members = [[leaf for leaf in member.leaves() if id(leaf) in kept] for member in self.members]
        terms = [leaf for term in self.terms for leaf in term.leaves() if id(leaf) in kept]
        return members, terms


class QueryPlan:
    """A parsed and rewritten query, ready to run.

    ``units`` holds one Unit per word (or term) of a plain-words question,
    used to count how many of its words a paragraph matches.
    """

    def __init__(
        self,
        text: str,
        query: Q.Query,
        leaves: list[Leaf],
        filters: dict[str, list[str]],
        words: list[str],
        units: list[Unit],
        cleaned: str = "",
        parsed: Q.Query | None = None,
        publishers: set[str] | None = None,
        inflections: Callable[[str], list[str]] | None = None,
    ) -> None:
        # Sources whose publisher the question names: preferred in ranking.
        self.publishers = publishers or set()
        # A word's other forms on the pages (see Planner.inflections).
        self.inflections = inflections or (lambda word: [])
        self.text = text
        self.cleaned = cleaned
        self.parsed = parsed
        self.query = query
        self.leaves = leaves
        self.filters = filters
        self.words = words
        self.units = units

    @cached_property
    def intent(self) -> Intent:
        """What the question asks for (see intent.intent_of): read once, for
        ranking and for what a cited passage leaves unmatched."""
        return intent_of(self.cleaned, [u for u in self.words if is_searched(key_form(u))])

    @cached_property
    def typed_words(self) -> list[tuple[str, str, str]]:
        """The searched words of the question, once each: (the word as
        searched, its key form (see key_form), what it names if anything:
        "figure" for a number, "acronym" for a word typed in capitals, "name"
        for a word capitalised after the question's first word, else ""). A
        question typed all in capitals ("WHAT ARE THE AIMS OF PREVENT") has
        no acronyms or names: its capitals say nothing of its words; one in
        title case ("What Are The Aims Of Prevent") has acronyms, but no
        names."""
        if self.parsed is None:
            return []
        capitals = shouted(self.cleaned)
        titled = title_cased(self.cleaned)
        first = len(self.cleaned) - len(self.cleaned.lstrip())
        asked = {leaf.word for leaf in self.leaves}
        seen: set[str] = set()
        out = []
        for node in self.parsed.leaves():
            if not isinstance(node, Q.Term) or node.fieldname not in ("q", "heading"):
                continue
            word = str(node.text)
            start = getattr(node, "startchar", None)
            typed = self.cleaned[start : node.endchar] if start is not None else word
            main = key_form(typed)
            if word not in asked or not is_searched(main) or word in seen:
                continue
            seen.add(word)
            letters = [c for c in typed if c.isalpha()]
            if main[:1].isdigit():
                kind = "figure"
            elif capitals:
                kind = ""
            elif main in _HERE_NAMES:
                kind = ""  # where every page is, not what is asked about
            elif len(letters) > 1 and typed.isupper():
                kind = "acronym"
            elif letters and typed[:1].isupper() and start != first and not titled:
                kind = "name"
            else:
                kind = ""
            out.append((word, main, kind))
        return out

    @cached_property
    def near(self) -> list[Near]:
        """For each two searched words next to each other in the question
        (leaving out the words not searched), what finds them near each
        other and in that order on the page, in any form the question's word
        stands for there (as typed, inflected, an acronym spelled out, or in
        another of its forms the pages use: "attacks" for "attack"). A
        paragraph that holds the two together speaks of what the question
        joins ("Islamist terrorism"), not of each apart."""
        forms: dict[str, list[str]] = {}
        for leaf in self.leaves:
            if leaf.field == "plain" and leaf.kind in NEAR_KINDS and leaf.text not in forms.setdefault(leaf.word, []):
                forms[leaf.word].append(leaf.text)
        words = [word for word, _, _ in self.typed_words if forms.get(word)]
        if len(words) < 2:
            return []
        # Each word as its ways of being written: one slot of its one-word
        # forms, or the words of a spelled-out term, each a slot of its own.
        ways: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
        for word, main, _ in self.typed_words:
            if word in forms:
                single = forms[word] + [f for f in self.inflections(main) if f not in forms[word]]
                ways[word] = [tuple((w,) for w in f.split()) for f in single if " " in f]
                one = tuple(f for f in single if " " not in f)
                if one:
                    ways[word].insert(0, (one,))
        return [Near(f"{a} {b}", x + y, NEAR_SLOP) for a, b in pairwise(words) for x in ways[a] for y in ways[b]]

    @property
    def plain_terms(self) -> set[str]:
        return {leaf.text for leaf in self.leaves if leaf.field == "plain" and leaf.kind != "wildcard"}

    @property
    def stemmed_terms(self) -> set[str]:
        return {leaf.text for leaf in self.leaves if leaf.field in ("body", "heading")}

    @property
    def patterns(self) -> list[str]:
        return [leaf.text for leaf in self.leaves if leaf.kind == "wildcard"]


@lru_cache(maxsize=1)
def _parser() -> QueryParser:
    """Whoosh's query parser over a parse-only schema that keeps words as typed.
    Imported here: a question of plain words never needs it (see parse)."""
    from whoosh.qparser import OrGroup, QueryParser

    words = RegexTokenizer(TOKEN_PATTERN + r"|[*?]+") | LowercaseFilter()
    schema = Schema(q=TEXT(analyzer=words), heading=TEXT(analyzer=words), strand=ID(), source=ID())
    return QueryParser("q", schema, group=OrGroup)


_NON_BLANK = re.compile(r"\S+")
# Words Whoosh's parser reads as operators (in upper case only).
_OPERATORS = frozenset(["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"])


def parse(text: str) -> Q.Query:
    """TEXT parsed as Whoosh's query parser (see _parser) parses it. A question
    of plain words, each one token, no operator, is read directly: the same
    tree, terms with the same character spans, without the parser's pass of
    every syntax rule over every character, except that a stop word met
    again keeps its place (the parser keeps only the first of each word)."""
    words = list(_NON_BLANK.finditer(text))
    if not words or any(w.group() in _OPERATORS or not TOKEN.fullmatch(w.group()) for w in words):
        return _parser().parse(text)
    terms = []
    seen: set[str] = set()
    for word in words:
        text = word.group().lower()
        # A searched word met again is searched once; a stop word stays in
        # its place each time, so terms that hold it meet their words in
        # order ("the threat to the public": "the public").
        if text in seen and is_searched(key_form(text)):
            continue
        seen.add(text)
        term = Q.Term("q", text)
        term.startchar, term.endchar = word.span()  # type: ignore[assignment]  # Whoosh declares them None
        terms.append(term)
    return Q.Or(terms) if len(terms) > 1 else terms[0]


_TRAILING_MARK = re.compile(r"(?<=\w)[?!.,;:]+(?=\s|$)")
_PER_CENT = re.compile(r"\bper\s+cent\b", re.IGNORECASE)
# Asking what an acronym spells out: "what does CTIRU stand for", "DDP is
# short for what", "the full form of DDP", "the acronym MAC", "CTIRU
# abbreviation" ask what "what is CTIRU" asks, and the frame's words are on
# pages that say nothing of it ("a short guide"). "Full name of" and "the
# letters" only before an acronym: "the full name of the minister" asks a
# name.
_ACRONYM_TYPED = r"[A-Z][A-Z0-9]{1,9}s?\b"
_ACRONYM_FRAME = re.compile(
    r"(?i:\bstands?\s+for|\bshort\s+for)\b"
    rf"|(?i:\b(?:the\s+)?(?:full|long)\s+(?:form|name|version)\s+of)\s+(?=(?:the\s+)?{_ACRONYM_TYPED})"
    rf"|(?i:\b(?:expand\s+)?(?:the\s+|an?\s+)?(?:acronym|abbreviation|initials|letters))\s+(?={_ACRONYM_TYPED})"
    rf"|\b(?P<acronym>{_ACRONYM_TYPED})\s+(?i:acronym|abbreviation|initials)\b"
    r"|(?i:\b(?:the\s+)?(?:letters|initials)\s+(?=(?:short|stands?)\s+for\b))"
)


def _acronym_asked(text: str) -> str:
    """TEXT without the words asking what an acronym spells out."""
    return _ACRONYM_FRAME.sub(lambda m: m.group("acronym") or " ", text)


# "What does Channel involve" asks what Channel is, as "what is Channel" does.
_INVOLVES = re.compile(r"^(\W*what (?:does|do|did|would|will) .+?)\s+(?:involve|entail|consist of|comprise|look like)\W*$",
                       re.IGNORECASE)
# Words placing a question in the present ("right now", "so far", "the
# current"): a page states its figures as of when it was written, so they
# are not words an answer holds. "Up to date" keeps its words.
_NOW = re.compile(r"\b(?:right now|at the moment|at present|these days|nowadays|currently|presently|current|so far|"
                  r"(?<!up )to date|as things stand)\b", re.IGNORECASE)

# Where every page is about ("in the UK", "across Britain"): a question
# placed there asks what it asks without it, and "UK", an acronym on most
# pages, weighed more than the question's own words ("what is the MAC in
# the UK" asked no term).
_PLACE = r"(?:uk|u\.k\.|united kingdom|great britain|britain)"
_HERE_NAMES = frozenset({"uk", "britain"})
_HERE = re.compile(rf"\b(?:in|across|throughout|within|around|for) (?:the )?{_PLACE}\b"
                   r"(?![./@-]\w|['’]s\b| (?:government|police|citizens?|courts?|law)\b)", re.IGNORECASE)
# A bare "UK" opening or closing the words of a question ("terror threat
# level UK") places it as "in the UK" does, unless it is compared or joined
# with something ("the US and UK", "UK versus France").
_PLACE_LAST = re.compile(rf"(?<![\w'’.-])(\w+)\s+{_PLACE}[\W_]*$", re.IGNORECASE)
_PLACE_FIRST = re.compile(rf"^[\W_]*{_PLACE}\s+(\w+)", re.IGNORECASE)
_TIED_TO_PLACE = frozenset(["the", "and", "or", "nor", "vs", "versus", "v", "than", "with", "between", "from", "to", "of",
                            "outside", "beyond", "like", "unlike", "compared"])


def _placed_here(part: str) -> str:
    """PART without a bare "UK" (Britain) as its first or last word."""
    for pattern in (_PLACE_LAST, _PLACE_FIRST):
        match = pattern.search(part)
        if match and match.group(1).lower() not in _TIED_TO_PLACE:
            span = match.span(1)
            part = part[: span[1]] + " " if pattern is _PLACE_LAST else " " + part[span[0]:]
    return part


# "Doesn't", "won't", "isnt": the pages say "does not", so the question does.
_CONTRACTED_NOT = re.compile(
    r"\b(wo|ca|sha|\w+?)n't\b|\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b",
    re.IGNORECASE,
)
_UNCONTRACTED = {"wo": "will", "ca": "can", "sha": "shall"}


# "How come ...", "what made ..." and "what led to ..." ask why.
_ASKS_WHY = re.compile(r"\bhow come\b|\bwhat (?:makes?|made|caused?|causes|prompted|prompts|led to|leads to|drove|drives)\b(?! up\b)",
                       re.IGNORECASE)


@cache
def _shorthand() -> tuple[re.Pattern[str], dict[str, str]]:
    """Note-taking shorthand and text speak ("w/", "b/c", "no. of", "ppl",
    "y") and what each stands for (data/shorthand.tsv)."""
    path = os.path.join(os.path.dirname(__file__), "data", "shorthand.tsv")
    with open(path, encoding="utf-8") as f:
        spelt = dict(line.rstrip("\n").split("\t", 1) for line in f if line.strip() and not line.startswith("#"))
    # Longest first, so "w/o" is not read as "w/" and "o"; a word inside a
    # longer word, an address or a compound is no shorthand.
    alternatives = "|".join(re.escape(short) for short in sorted(spelt, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/.@&'’-])(?:{alternatives})(?![\w/@&'’-]|\.\w)", re.IGNORECASE)
    return pattern, spelt


# "4" for "for" and "2" for "to" in text speak ("in prison 4 terrorism",
# "referred 2 Prevent", "what is the MAC 4"): a lone 4 or 2 after a word,
# at the end or before a word that is not plural, not a word a figure goes
# with ("of", "percent", "million") and not after a word that counts or
# numbers ("the 4 strands", "top 2", "level 4", "2 of the attackers" stay
# figures).
_TEXT_SPEAK_DIGIT = re.compile(
    r"\b(?P<before>[A-Za-z]+) (?P<digit>[24])(?= (?P<after>[A-Za-z]+)\b(?![%'’.-]\w)|\s*$)"
)
_COUNTING_BEFORE = frozenset(
    ["the", "these", "those", "all", "top", "first", "last", "next", "over", "under", "about", "around", "roughly", "nearly",
     "almost", "than", "only", "just", "every", "some", "another", "any", "past", "least", "most", "page", "chapter",
     "section", "paragraph", "line", "figure", "table", "number", "no", "step", "level", "tier", "phase", "part", "category",
     "stage", "version", "and", "or", "to", "by", "x", "plus", "minus", "times", "of", "in", "at", "from", "between"]
)
_WITH_A_FIGURE = frozenset(
    ["of", "or", "and", "to", "in", "out", "per", "percent", "pc", "hundred", "thousand", "million", "billion", "k", "m",
     "times", "day", "week", "month", "year", "hour", "minute", "decade", "a", "an", "more", "less", "fewer", "january", "jan",
     "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul", "august", "aug", "september",
     "sep", "sept", "october", "oct", "november", "nov", "december", "dec"]
)


def _text_speak_digit(match: re.Match[str]) -> str:
    before, after = match.group("before"), match.group("after") or ""
    if before.lower() in _COUNTING_BEFORE or after.lower() in _WITH_A_FIGURE or after.endswith(("s", "S")):
        return match.group(0)
    return f"{before} {'for' if match.group('digit') == '4' else 'to'}"


def _spell_out_shorthand(match: re.Match[str]) -> str:
    short = match.group(0)
    if len(short) > 1 and short.isupper():
        return short  # an acronym ("BC", "COS")
    return _shorthand()[1][short.lower()]


# A word typed in capitals, two letters or more.
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")

# A wildcard standing alone ("MAC *", "what is it ?") matches every word,
# which would make the whole question match everything.
_LONE_WILDCARD = re.compile(r"(?<!\S)[*?]+(?!\S)")
# A mark standing alone ("DDP - quick answer", "Pursue / Prevent") joins
# nothing, and left at the end it hid what the question asks.
_LONE_MARK = re.compile(r"(?<!\S)[-–—:;,.!/|~]+(?!\S)")

# How an answer is to be given: who it is pitched at and how short ("explain
# like I'm 5", "to a ten year old", "ELI5", "in a nutshell", "in simple
# terms"), that it cites ("with sources", as it always does) and from what
# ("according to these pages"): the answer holds none of these words, and
# "5" would be searched as a figure.
_IN_DETAIL = r" in (?:(?:more|full|great|some) )?(?:detail|depth)"
_AGES = r"(?:\d{1,2}|five|six|seven|eight|nine|ten|eleven|twelve)"
_PITCH = re.compile(
    rf"\b(?:like|as if|as though) (?:i'?m|i am) (?:a |an )?(?:{_AGES}(?:[- ]years?[- ]old)?|(?:a )?(?:child|kid|baby|beginner))\b"
    rf"|\bto (?:a|an|my) {_AGES}[- ]years?[- ]old\b|\beli5\b|\btl;? ?dr\b|\bfor dummies\b|\bsimply put\b"
    r"|\bin (?:a nutshell|short|brief|(?:simple|plain|easy|layman'?s?) (?:terms|words|english|language))\b"
    rf"|\bin (?:one|a|a single|a few) (?:sentences?|lines?|words?)\b|\bbriefly\b|\b{_IN_DETAIL.strip()}\b"
    r"|\bin (?:no more than |not more than |under |less than |fewer than |about |around |up to )?\d+ (?:words|sentences|lines|characters)"
    r"(?: or (?:less|fewer))?\b"
    r"|\b(?:(?:a|the) )?(?:quick|short|brief|simple) (?:answer|version|summary|explanation|overview)\b"
    r"|(?:[(\[]\s*)?(?:\b(?:with|include|including|and|plus|give me) (?:a |the |your |some )?(?:sources?|citations?|references?|refs|links?)"
    r"|\b(?:(?:please|pls) )?cite (?:the |your |a |its |their )?(?:pages?|sources?|documents?|paragraphs?|passages?|lines?|sections?))\b\s*[)\]]?(?=\W*$)"
    r"|\b(?:according to|in|on|from|based on|using) (?:these|the|your|this|those) (?:pages|documents|docs|sources|texts|corpus)\b",
    re.IGNORECASE,
)

# "As well as" joins as "and" does, and "as well" at the end means "too":
# their "well" is no word to search ("better" is a form of it).
_AS_WELL = re.compile(r"\bas well as\b|\bas well\b(?=\s*(?:[?.!,;:]|$))", re.IGNORECASE)


# What decorates a question and says nothing: emoji and other symbols (with
# their joiners and variation selectors), a list number or "Q:" before it
# and "A:" after it, quoting marks and bullets before it, and the stars and
# underscores of Markdown emphasis ("**what** is _Channel_"). They kept a
# frame from being read ("what is Prevent 🤔" did not ask what Prevent is).
_JOINERS = frozenset("\u200d\ufe0e\ufe0f")
_LEADING = re.compile(r"^[\s>*+=~|:;,.!?•·‣◦▪–—-]+|^\s*(?:\d{1,2}[.)]|[a-z][.)]|q\d*\s*[:.)])\s+", re.IGNORECASE)
_TRAILING = re.compile(r"\s+a\s*:\s*$", re.IGNORECASE)
# A hashtag's mark ("#Prevent"), not a number's ("#1 threat").
_HASHTAG = re.compile(r"(?<![\w&])#(?=[^\W\d_])")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2}|_{1,2})(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")


# What a question is for ("for my essay", "for a school assembly").
_PURPOSE = (r"for (?:my|a|an|our|the) (?:[\w-]+ ){0,3}?(?:essay|assignment|dissertation|thesis|project|homework|coursework|report"
            r"|briefing|article|presentation|class|course|lesson|seminar|research|blog|podcast|story|piece|exam|revision|talk|brief"
            r"|assembly|meeting|training|workshop|newsletter|note|notes|paper|slides|speech|thread|post|video|summary)")

_QUESTION_WORD = r"(?:what|which|who|whom|whose|when|where|why|how)"

# How a question is put to someone, before it and after it: a greeting,
# "quick question:", "can you (please) ...", "tell me", "I want to know",
# "I was wondering if", "for my essay:", "thanks". Left in, they hid the question's own frame
# ("can you tell me DDP" asked no term, "hi, difference between Pursue and
# Prevent" no comparison) and searched "want" and "know" ("known to MI5").
_ASKED_OF = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|yo|dear \w+(?:\s*(?:/|or)\s*\w+)?|good (?:morning|afternoon|evening|day)|greetings|to whom it may concern"
    r"|(?:morning|afternoon|evening)(?= (?:all|everyone|team)\b|\s*[,!]))(?: there| all| everyone| team)?"
    # "Hey Sam, ", "@CTPolice ": who is addressed.
    r"(?: (?-i:[A-Z][\w.-]*)(?=\s*[,!]))?|@\w+"
    r"|(?:help(?: me| please| pls| needed)?|urgent|important|re|fwd?|subject)(?=\s*[!:]|\s+-\s)"
    # An email's opening courtesies.
    r"|(?:i )?hope (?:you(?:'re| are) (?:well|ok|okay|keeping well|doing well)|this (?:email |message )?finds you well"
    r"|this is the right place(?: to ask)?)|(?:apologies|sorry) if this (?:has been|was|is) (?:already )?(?:asked|answered|covered)"
    r"(?: before| already)?|thanks (?:in advance )?for (?:any|your) help"
    r"|(?:(?:a|one) )?(?:quick|simple|silly|random|stupid|dumb|genuine|honest|short|serious) question(?: for you)?"
    r"(?:,? (?:maybe|perhaps|probably|i know)(?=\s*,? but\b))?(?:,? but\b)?|(?:just )?(?:a )?quick one(?=\s*[:,-])"
    r"|(?:(?:one|a|another|last|final|second|next|follow[- ]?up|my|the|bonus|homework|exam|essay|interview|quiz|pub quiz|trivia"
    r"|test|revision|practice|sample|discussion|research) )?(?:more )?question(?:\s*#?\s*\d+)?(?: for you)?(?: is)?(?=\s*[:,)-]|(?<= is) )"
    r"|what i (?:really )?(?:want|need|wanted|would like|'d like) to (?:know|ask) is|(?:discuss|trivia|poll|quiz|task|exercise|prompt)(?=\s*[:,-])"
    r"|(?:follow[- ]?up|fact[- ]?check|true or false|sanity check|quick check|(?:some |for )?(?:context|background)"
    r"|(?:(?:a )?quick )?yes(?:/| or )no(?: question)?)(?=\s*[:,-])"
    r"|(?:can|could|would|will) (?:you|u|someone|somebody|anyone|anybody)(?: (?:please|pls|plz|kindly))?(?: be able to)?"
    r"(?: (?:find|search for|look up)(?: me)?)?(?= \w)"
    r"|(?:(?:is there )?any chance|is it possible) (?:that )?(?:you|u) (?:could|can|would)(?= \w)"
    r"|(?:you|u) (?:could|can|would|might)(?: please)?(?= (?:tell|show|let|explain|help|find)\b)"
    r"|please|pls|plz|kindly|ok|okay|um+|erm+|uh+|hmm+|(?:so|well|right|alright|anyway|like)(?=\s*(?:,|\.\.\.|…))"
    r"|(?:yeah|yep|yup)(?: so)?"
    # "And what is ...": a question carried on from one before it.
    r"|(?:and|but|or|so|also)(?= (?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|can|could|will|would|has|have)\b)"
    rf"|remind me(?: again)?(?=\s*[,:-]|\s+{_QUESTION_WORD}\b)"
    r"|i (?:can'?t|cannot|don'?t) (?:remember|recall)(?=\s*[,:-])|i forg[oe]t(?=\s*[,:-])|(?:i )?need to know(?=\s*[:,-])"
    r"|(?:honestly|frankly|seriously|also|sorry|in your own words)(?=\s*[,:])|(?:(?:so|ok|okay) )?basically"
    r"|(?:tell|show|let) me(?: know)?(?! about\b| what (?!(?:is|are|was|were|does|do|did)\b|['’]s\b))"
    r"|i(?:'d| would) (?:like|love) to (?:know|ask|find out)|i (?:just )?(?:want|wanted|need|needed|wanna|hope|am hoping|was hoping)"
    r" to (?:know|find out|understand|learn|ask|check)|i'?m (?:trying|hoping) to (?:know|find out|understand|learn)"
    r"|(?:do|does) (?:you|u|anyone|anybody|someone|somebody)(?: happen to)? know|(?:i'?m |i am |i was |i've been )?wondering"
    r"|i(?:'ve| have)? (?:always )?wondered(?: about)?"
    r"|i wonder|any ?(?:one|body) know|any idea|help me understand|i have a question|i'?ve got a question"
    r"|(?:just )?curious|just (?:wondering|asking|checking)|out of (?:pure )?curiosity|(?:just )?asking for a friend(?=\s*[:,-])"
    rf"|(?:find(?: out)?|search(?: for)?|look ?up)(?: me)?(?=\s*[:,-]|\s+{_QUESTION_WORD}\b)"
    # What asks about a term without saying how: "what's the deal with the
    # MAC", "I don't understand Channel", and, before a term alone, "info on
    # the DDP", "background to CONTEST".
    r"|what(?:'s|’s| is) (?:the )?(?:deal|story|situation) (?:with|behind|on)|what(?:'s|’s| is) up with"
    r"|(?:give me |what(?:'s|’s| is) )?the lowdown on|i (?:do not|don'?t|dont) (?:really )?(?:understand|get)"
    r"|what (?:do|should) (?:i|we|people) (?:need to |have to )?know about|what (?:do|can) you (?:know|tell me) about"
    r"|(?:have you|has anyone|have people) (?:ever )?heard (?:of|about)|what about|(?:tell me )?everything (?:about|on)"
    r"|(?:some |any |more |a |an |the )?(?:info|information|details|summary|background|overview|explanation|rundown)(?: please)?"
    r" (?:on|about|of|for|to|regarding)(?=(?:\s+[^\s?!.]+){1,4}[\s?!.]*$)"
    rf"|{_PURPOSE}(?=\s*[:,-]))"
    r"(?:(?<=know)(?:,? (?:about|if|whether))?|(?<=wondering)(?: (?:about|if|whether))?|(?<=understand)(?: about)?)?"
    r"(?=[\s,:;.!?]|$)[\s,:;.!?-]*",
    re.IGNORECASE,
)
_SIGNED_OFF = re.compile(
    r"[\s,.;:!?-]+(?:(?:(?:(?:many|kind|best|warm(?:est)?) )?(?:thanks|thank you|thx|cheers|ta|ty|tia|regards|best|wishes)"
    r"(?: (?:so much|a lot|in advance|very much))?|all the best)"
    r"(?:,?\s+(?-i:[A-Z][a-z]+))?|sent from my \w+|please|pls|plz|asap|urgently|lol|lmao|haha"
    r"|(?:please|pls|plz) help(?: me)?|help(?: me)? (?:please|pls|plz)|yes or no|(?:please )?keep it (?:short|brief|simple)"
    r"|or (?:something|whatever|anything)(?: like that)?|if (?:that|this) makes (?:any )?sense|i (?:guess|think|suppose|believe)"
    # A question tag: ", right?", "or not?", ", isn't it?".
    r"|(?<=, )right|(?<=, )(?:is|are|do|does|did|was|were|has|have|can|will|would)(?:n'?t| not) (?:it|they|there|he|she|we|you|i)"
    r"|(?<=[.?!] )(?:a )?(?:ballpark|rough) (?:figure|number|estimate)(?: is| would be)? (?:fine|ok|okay|good)"
    # What an exam or a quiz says of the answer ("Answer in one word."; "(2 marks)" is in _PASTED).
    r"|(?<=[.?!] )(?:please )?answer in (?:one|a single|a few|two|three|\d+) (?:words?|sentences?|lines?)"
    r"|[(\[]?(?:sorry|apologies) (?:for )?(?:my|the) (?:bad |poor )?(?:english|grammar|spelling|typos?)[)\]]?"
    r"|(?<=[.?!] )(?:any (?:ideas|thoughts|help|pointers|advice)(?: (?:appreciated|welcome))?|any ?(?:one|body)(?: know)?"
    r"|(?:i )?just (?:want|wanted|need) to (?:be sure|make sure|check|confirm|double[- ]check))"
    r"|(?:i )?need (?:it|this|an answer|to know)(?: (?:asap|urgently|quickly|fast|today|now))?"
    rf"|(?:is (?:that|this)|am i) (?:right|correct|true)|(?<=[.?!:] )(?:please |pls )?(?:explain|elaborate)(?: it| this)?(?: further| more| simply| briefly| clearly|{_IN_DETAIL})?"
    rf"|[(\[]?{_PURPOSE}[)\]]?|[(\[]?(?:just )?asking for a friend[)\]]?"
    r"|(?<=[.?!] )(?:(?:sources?|citations?|references?)(?: (?:please|pls))?"
    r"|(?:please )?(?:give|tell) (?:me |us )?(?:the |a )?(?:exact |precise |rough )?(?:figures?|numbers?|stats|statistics|answer))"
    r")[\s!.:)?]*$",
    re.IGNORECASE,
)


class Subject(NamedTuple):
    """What the pages are about, as a question's asides are read against:
    TOPICAL says whether a word (a key form) is one of the glossary's that
    names a subject, KNOWN whether the pages hold it at all."""

    topical: Callable[[str], bool] = lambda word: False
    known: Callable[[str], bool] = lambda word: True


# Outside an index: no word is the subject's, and every name is known.
_NO_SUBJECT = Subject()

# What a question says around what it asks ("I heard on the news that
# things have changed. What is Prevent?", "Sorry if this is a dumb question
# but what is the MAC", "Asking for a friend."): no word of it is asked about.
# A full stop after an abbreviation or an initial ("e.g.", "no.") ends no sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?:])(?<!\b\w\.)(?<!\bno\.)(?<!\bvs\.)(?<!\betc\.)\s+(?=\S)",
                           re.IGNORECASE)
_BUT = re.compile(r"^(?P<aside>[^.!?]*?),?\s+but\s+(?P<asked>\S.*)$", re.IGNORECASE | re.DOTALL)
# "As a parent, what is Prevent?": who is asking, before the question.
_AS_ROLE = re.compile(
    r"^(?:as (?:a|an) (?P<aside>[^,.!?:;]{1,40})"
    # "Say I'm a journalist - ": who is asking, supposed.
    r"|(?:(?:let['’]?s )?say|suppose|imagine|pretend) (?:i['’]?m|i am) (?:a|an) (?P<supposed>[^,.!?:;]{1,40}?)"
    r"|(?P<here>[^,.!?:;\s]+(?: [^,.!?:;\s]+)?) here"
    r"|from (?:a|an|the) (?P<view>[^,.!?:;]{1,40}?)['’]s? (?:point of view|perspective|side))\s*[,:-]\s*(?P<asked>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_OPENS_QUESTION = _ASKING | frozenset(["whats", "could", "would", "should", "has", "have", "was", "were"])
_ASKER = frozenset(["i", "i'm", "im", "i've", "ive", "i'd", "me", "my", "we", "our", "us", "sorry", "obvious", "dumb", "stupid",
                    "silly", "confused", "curious", "wondering"])
# A lead-in pointing on to the question ("Summarise what the pages say on this:").
_LEADS_IN = _ASKER | frozenset(["this", "following", "below"])
_REFERS_BACK = frozenset(["it", "its", "this", "that", "these", "those", "they", "them", "their", "he", "she", "him", "her", "his"])


def _is_question(sentence: str) -> bool:
    """Whether SENTENCE asks: it ends in "?" or opens with a question word."""
    words = TOKEN.findall(sentence)
    return sentence.rstrip().endswith("?") or bool(words) and words[0].lower().replace("’", "'") in _OPENS_QUESTION


def _asker_aside(clause: str, subject: Subject, speaks: frozenset[str] = _ASKER) -> bool:
    """Whether CLAUSE speaks of the one asking ("I know a bit about this
    already", "sorry if this is obvious"), or holds another of SPEAKS, and
    names nothing the question may be about (see _names_nothing)."""
    return bool({w.lower().replace("’", "'") for w in TOKEN.findall(clause)} & speaks) and _names_nothing(clause, subject)


def _names_nothing(words: str, subject: Subject, unknown_names: bool = True) -> bool:
    """Whether WORDS name nothing a question may be about: no capitalised
    word after the first but "I" and "UK" (or "Britain"), nor, without
    UNKNOWN_NAMES, one the pages never hold ("Wikipedia"); no figure; no
    word the SUBJECT's glossary names ("worried my son is being
    radicalised")."""
    tokens = TOKEN.findall(words)
    named = [key_form(w) for w in tokens[1:] if w[:1].isupper() and w.replace("’", "'") not in ("I", "I'm", "I've", "I'd")]
    # "The UK" is where every page is about.
    if any(key not in _HERE_NAMES and (unknown_names or subject.known(key)) for key in named) or any(c.isdigit() for c in words):
        return False
    return not any(subject.topical(key) for key in map(key_form, tokens) if key and is_searched(key))


def _asides_dropped(text: str, subject: Subject) -> str:
    """TEXT without the sentences around the question that name nothing
    (see _names_nothing; a name the pages never hold counts only when the
    question names nothing either) and the lead-ins before a colon in which
    the asker speaks of themselves or that point on to the question (see
    _asker_aside), when the question does not refer back to them ("it",
    "that"); without what its asker says of
    themselves before "but"; and without who is asking ("As a parent, ")
    when that names nothing the question may be about."""
    sentences = _SENTENCE_END.split(text.strip())
    # The question is the sentence asking, or else the last.
    asked = [s for s in sentences if _is_question(s)] or sentences[-1:]
    if len(asked) < len(sentences) and not any(w.lower() in _REFERS_BACK for s in asked for w in TOKEN.findall(s)):
        question = " ".join(asked)
        # A name the pages never hold ("Wikipedia") is set aside only beside a
        # question that names something of its own.
        unknown_names = _names_nothing(question, subject)
        # A lead-in before a colon may say what is asked about ("For a young
        # person: what does Channel offer"); only the asker's own, or one
        # pointing on to the question, is dropped.
        if all(s in asked or (_asker_aside(s, subject, _LEADS_IN) if s.endswith(":") else _names_nothing(s, subject, unknown_names))
               for s in sentences):
            text = question
    but = _BUT.match(text)
    if but and _asker_aside(but.group("aside"), subject):
        text = but.group("asked")
    role = _AS_ROLE.match(text)
    if role and _is_question(role.group("asked")) and _names_nothing(role.group("aside") or role.group("supposed") or role.group("here") or role.group("view"), subject):
        text = role.group("asked")
    return text


def _said_once(text: str) -> str:
    """TEXT with each sentence said again word for word ("What is the DDP?
    What is the DDP?", pasted or sent twice) said once."""
    sentences = _SENTENCE_END.split(text.strip())
    said: dict[tuple[str, ...], str] = {}
    for sentence in sentences:
        said.setdefault(tuple(w.lower() for w in TOKEN.findall(sentence)), sentence)
    return " ".join(said.values()) if len(said) < len(sentences) else text


def _undecorated(text: str, subject: Subject) -> str:
    """TEXT without what decorates a question: symbols, a list number, "Q:"
    and "A:", bullets and quoting marks before it, Markdown emphasis, and
    how it is put to someone ("hi", "can you tell me", "thanks")."""
    text = "".join(" " if c in _JOINERS or (c > "\x7f" and unicodedata.category(c) in ("So", "Sk")) else c for c in text)
    text = _said_once(_HASHTAG.sub(" ", _EMPHASIS.sub(r"\2", text)))
    while True:
        text = _unframed(text)
        asked = _asides_dropped(text, subject)
        if asked == text or not TOKEN.search(asked):
            return text
        text = asked


# No frame before or after a question is longer than this, and no sign-off
# longer than the second (it is looked for at every mark near the end).
_FRAME_REACH = 400
_SIGN_OFF_REACH = 160


def _unframed(text: str) -> str:
    """TEXT without the frames around it, one at a time: bullets, a list
    number and how it is put to someone before it, "A:" and a sign-off
    after it ("thanks"), but not a frame that would leave no word. Each is
    looked for within _FRAME_REACH characters of its end, so a question of
    any length, however many frames it repeats, is read in linear time."""
    start, end = 0, len(text)
    while start < end:
        head = text[start : min(end, start + _FRAME_REACH)]
        whole = start + len(head) == end
        found = None
        # A match reaching the edge of its window may have cut a word; a frame
        # of words (not marks) is kept when nothing else would be left.
        for pattern, of_words in ((_LEADING, False), (_ASKED_OF, True)):
            match = pattern.match(head)
            cut = match is None or not match.end() or (not whole and match.end() == len(head))
            if match and not cut and (not of_words or TOKEN.search(text, start + match.end(), end)):
                found = start + match.end(), end
                break
        if found is None:
            for pattern, of_words, reach in ((_TRAILING, False, _FRAME_REACH), (_SIGNED_OFF, True, _SIGN_OFF_REACH)):
                at = max(start, end - reach)
                tail = text[at:end]
                match = pattern.search(tail)
                cut = match is None or match.start() == len(tail) or (at > start and not match.start())
                if match and not cut and (not of_words or TOKEN.search(text, start, at + match.start())):
                    found = start, at + match.start()
                    break
        if found is None:
            break
        start, end = found
    return text[start:end]


def _not(match: re.Match[str]) -> str:
    base = match.group(1) or match.group(2)
    return _UNCONTRACTED.get(base.lower(), base) + " not"


def _spelt_out(part: str) -> str:
    """PART with negations, "how come" ("what made"), note-taking shorthand,
    text speak and "as well as" spelt out."""
    part = _CONTRACTED_NOT.sub(_not, part)
    part = _TEXT_SPEAK_DIGIT.sub(_text_speak_digit, _shorthand()[0].sub(_spell_out_shorthand, part))
    part = _AS_WELL.sub(lambda m: "and" if m.group(0).lower().endswith("as") else "", part)
    return _ASKS_WHY.sub("why", part)


# "Is the DDP mandatory or not?": "or not" after a yes/no question asks
# nothing more, and "not" would lift every passage saying "does not". After
# other words it may be asked ("MAC versus investigations: replacement or not").
_YES_OR_NO = re.compile(r"^(\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|must)\b.*?)[\s,]+or not[\s?!.]*$",
                        re.IGNORECASE | re.DOTALL)


# What a question pasted from a web page, a chat or an exam paper carries:
# character references ("what&#39;s"), tags ("<p>"), code marks ("`"),
# footnote marks ("[1]"), marks ("(2 marks)"), a web address, Spanish
# opening marks, and brackets around the whole of it. None of it is asked.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)
_PASTED = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>|`+|\[\d{1,3}\]|[(\[]\s*\d{1,3}\s*(?:marks?|points?|pts)\s*[)\]]|\b(?:https?://|www\.)[^\s\"]+|[¿¡]", re.IGNORECASE)
_WRAPPED = re.compile(r"\s*\(([^()]*)\)\s*")


# Square or curly brackets are Whoosh's ranges ("[2015 TO 2018]"); around
# other words ("[what is the DDP]") they are brackets, and read as a range
# they left nothing to search.
_BRACKETED = re.compile(r"[\[{]([^\[\]{}]*)[\]}]|[\[\]{}]")
_RANGE = re.compile(r"\s*[^\s\[\]{}]*\s*\bTO\b\s*[^\s\[\]{}]*\s*")


def _no_range(part: str) -> str:
    """PART with square and curly brackets that hold no range read as spaces."""
    return _BRACKETED.sub(lambda m: m.group(0) if m.group(1) is not None and _RANGE.fullmatch(m.group(1)) else f" {m.group(1) or ''} ", part)


def _unpasted(text: str) -> str:
    """TEXT without what pasting it carried (see _PASTED) and with brackets
    that are no range read as spaces (see _no_range), outside quotes."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = _outside_quotes(text, lambda part: _no_range(_PASTED.sub(" ", part)))
    wrapped = _WRAPPED.fullmatch(text)
    return wrapped.group(1) if wrapped else text


def clean_query(text: str, subject: Subject = _NO_SUBJECT) -> str:
    """TEXT with typography folded, "per cent" joined, sentence marks after
    words removed (so "what is the MAC?" is no wildcard), the question
    frames asking what an acronym spells out ("stands for", "short for",
    "full form of") and "what does X involve" (entail, consist of,
    comprise, look like) and, outside quotes, negations spelt out ("doesn't"
    -> "does not"), "how come" and "what made" asked as "why", shorthand
    and text speak ("w/", "b/c", "ppl", "4" for "for"; data/shorthand.tsv)
    spelt out, "as well as" as "and", and dropped: what decorates the
    question (emoji, "Q:", Markdown emphasis, a hashtag's "#", "Re:",
    "Help!", "Thanks, Sam", "is that right?", what it is for), how the
    answer is to be given ("explain like I'm 5", "with sources", "in
    detail"), what the asker says of themselves or who is asking ("As a
    parent,") or what is said around the question ("Asking for a friend.")
    when it names nothing of the SUBJECT's ("Sorry if this is obvious,
    but"), wildcards and marks
    standing alone, and words placing the question in the present ("right
    now", "so far") or in the UK ("in the UK", a bare "UK" at either end),
    unless nothing else is asked."""
    text = _INVOLVES.sub(r"\1", _acronym_asked(_TRAILING_MARK.sub("", _YES_OR_NO.sub(r"\1", _undecorated(_unpasted(plain(text)), subject)))))
    timeless = _outside_quotes(text, lambda part: _spelt_out(_LONE_MARK.sub(" ", _PITCH.sub(" ", _placed_here(_HERE.sub(" ", _NOW.sub(" ", _LONE_WILDCARD.sub(" ", part))))))))
    if TOKEN.search(timeless):
        text = timeless
    return _PER_CENT.sub("percent", text).strip()


def _outside_quotes(text: str, rewrite: Callable[[str], str]) -> str:
    """TEXT with REWRITE applied to each part outside double quotes: a
    quoted phrase is searched as typed."""
    parts = text.split('"')
    return '"'.join(rewrite(part) if k % 2 == 0 else part for k, part in enumerate(parts))


def key_form(word: str) -> str:
    """The main normalised form of one word ("Da'esh" and "Da-esh" -> daesh)."""
    forms = normalise_word(word)
    return forms[0] if forms else ""


def phrase_words(text: str) -> list[str]:
    """Normalised words of TEXT as they sit in the ``plain`` field's positions."""
    out: list[str] = []
    for raw in TOKEN.findall(plain(text)):
        forms = normalise_word(raw)
        out.extend(forms[1:] if len(forms) > 1 and forms[1] != "percent" else forms)
    return out


class Glossary:
    """Groups of equivalent terms, looked up by the stems of their words
    ("arrested" finds the group of "arrest").
    A group of kind "related" holds everyday words for one idea ("nick",
    "arrest"): looser than equivalents, they rank as synonyms do."""

    def __init__(self, groups: Iterable[dict]):
        everything = list(groups)
        # What every page is about ("CONTEST"): no group of equivalents.
        self.scope = [t for g in everything if g.get("kind") == "scope" for t in g["terms"]]
        # A publisher's other names ("the police"): no equivalents either, as
        # "police" on a page does not stand for Counter Terrorism Policing.
        self._names_of: dict[tuple[str, ...], list[str]] = {}
        for g in everything:
            if g.get("kind") == "publisher":
                self._names_of.setdefault(self.key(g["name"]), []).extend(g["terms"])
        self._raw = [g for g in everything if g.get("kind") not in ("scope", "publisher")]
        self.related = [g.get("kind") == "related" for g in self._raw]
        # The stems of each term's words, looked up by; a group prepared when
        # the index was built (see prepared) brings them, so a search starts
        # without stemming the whole glossary. An abbreviation is looked up
        # by its own forms only: "use" stems as "US" does and "acts" as "ACT",
        # but neither stands for the name spelled out.
        self.by_stems: dict[tuple[str, ...], list[int]] = {}
        self.by_abbreviation: dict[tuple[str, ...], list[int]] = {}
        for k, group in enumerate(self._raw):
            stems = group.get("stems") or [_stems(self.key(t)) for t in group["terms"]]
            for term, stem in zip(group["terms"], stems):
                if stem and _abbreviation(term):
                    self.by_abbreviation.setdefault(self.key(term), []).append(k)
                elif stem:
                    self.by_stems.setdefault(tuple(stem), []).append(k)
        self.longest = max((len(k) for k in [*self.by_stems, *self.by_abbreviation]), default=0)
        self._groups: dict[int, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {}

    @classmethod
    def prepared(cls, groups: Iterable[dict]) -> list[dict]:
        """GROUPS with the stems of each term's words worked out, to be kept
        with the index."""
        return [{**group, "stems": [list(_stems(cls.key(t))) for t in group["terms"]]} for group in groups]

    def group(self, k: int) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        """Group K's terms, each with its lookup key and its words as phrased
        in the index (worked out when the group is first met)."""
        found = self._groups.get(k)
        if found is None:
            found = self._groups[k] = [(t, self.key(t), tuple(phrase_words(t))) for t in self._raw[k]["terms"]]
        return found

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of the glossary's terms, normalised (worked out when first asked)."""
        return frozenset(w for k in range(len(self._raw)) for _, key, _ in self.group(k) for w in key)

    def names_of(self, publisher: tuple[str, ...]) -> list[str]:
        """The other names a question may call PUBLISHER (a key) by."""
        return self._names_of.get(publisher, [])

    def equivalents(self, key: tuple[str, ...]) -> list[str]:
        """The terms of KEY's groups of equivalents (see expansions)."""
        return [term for term, related in self.expansions(key) if not related]

    def expansions(self, key: tuple[str, ...]) -> list[tuple[str, bool]]:
        """The other terms of KEY's groups, each with whether it is only
        related; without repeats, KEY's own spellings, a stop word ("US" is
        "us") and, for a word, its other forms (stemming finds them). A word or phrase finds the groups
        that list any form of it ("arrested" the group of "arrest", "jail
        terms" that of "jail term")."""
        stems = _stems(key)
        found = self._groups_of(key)
        if len(key) != 1:
            # A phrase is searched unstemmed: another form of it is another term.
            return self._terms(found, lambda k: k == key)
        return self._terms(found, lambda k: len(k) == 1 and _stems(k) == stems)

    def _groups_of(self, key: tuple[str, ...]) -> list[int]:
        """The groups that list KEY in some form of its words, or as the
        abbreviation it is."""
        return sorted([*self.by_stems.get(_stems(key), ()), *self.by_abbreviation.get(key, ())])

    def spelt_out(self, acronym: str) -> str | None:
        """The spelled-out name an acronym group gives ACRONYM, typed as the
        group lists it ("US": "United States"), or None."""
        for k in self.by_abbreviation.get(self.key(acronym), ()):
            terms = self._raw[k]["terms"]
            if self._raw[k].get("kind") == "acronym" and acronym in terms:
                return next((t for t in terms if not t.isupper()), None)
        return None

    def __contains__(self, key: tuple[str, ...]) -> bool:
        """Whether some group lists KEY, in any form of its words."""
        return bool(self._groups_of(key))

    def _terms(self, found: Iterable[int], own: Callable[[tuple[str, ...]], bool]) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        seen: set[tuple[str, ...]] = set()
        # An equivalent comes before the same term merely related.
        for k in sorted(found, key=lambda k: self.related[k]):
            for term, term_key, words in self.group(k):
                if len(term_key) == 1 and not is_searched(term_key[0]):
                    continue  # "US" for "United States" would find "us"
                if not own(term_key) and words not in seen:
                    seen.add(words)
                    out.append((term, self.related[k]))
        return out

    @staticmethod
    def key(term: str) -> tuple[str, ...]:
        """The lookup key of TERM: its words in their main normalised form."""
        return tuple(key_form(w) for w in TOKEN.findall(plain(term)))


def _abbreviation(term: str) -> bool:
    """Whether TERM is one word written with two capitals or more ("US",
    "MoJ", "TPIMs")."""
    return " " not in term and sum(c.isupper() for c in term) >= 2


def _stem_or_word(word: str) -> str:
    return stem_word(word) or word


def _stems(key: tuple[str, ...]) -> tuple[str, ...]:
    """KEY's words stemmed (a stop word as it is)."""
    return tuple(_stem_or_word(w) for w in key)


# How a question places itself in what every page is about: "in CONTEST",
# "under the UK's counter-terrorism strategy", "as part of our strategy".
_INTO_SCOPE = r"\b(?:in|under|within|as part of|throughout|across) (?:the |our |(?:the )?(?:uk|britain|government|home office)['’]s )?"


def _spelt(terms: Iterable[str], shortened: bool = False) -> str:
    """An alternation of TERMS, longest first, their words apart, hyphened or
    joined ("counter terrorism", "counterterrorism"), and if SHORTENED each
    also without its last word ("counter-terrorism" of "counter-terrorism
    strategy"); "" for no terms."""
    spelt: set[str] = set()
    for term in terms:
        words = [re.escape(w) for w in re.findall(r"[^\W_]+", plain(term))]
        spelt |= {r"[\s‐-]*".join(words[:n]) for n in {len(words), len(words) - 1 if shortened else 0} if n > 0}
    return "|".join(sorted(spelt, key=len, reverse=True))


def _in_scope_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for TERMS (the glossary's scope) placed after "in" or
    "under" (see _INTO_SCOPE), their words spelt as _spelt reads them; None
    for no terms."""
    spelt = _spelt(terms)
    if not spelt:
        return None
    return re.compile(rf"{_INTO_SCOPE}(?:{spelt})\b(?![./@'’-]\w)", re.IGNORECASE)


# A question set in what every page is about by a clause of its own, before
# it ("In the context of UK counter-terrorism, ...", "Based on the CONTEST
# documents: ...") or after it (", according to the CONTEST strategy",
# " - UK counter-terrorism policy", " (UK)"): the scope's terms, or their
# words before the last ("counter-terrorism" of "counter-terrorism
# strategy"), with what may qualify them and a noun naming the policy or
# its papers. Read before punctuation is dropped, which sets the clause apart.
_SCOPE_QUALIFIER = (r"(?:(?:the|our|this|these|that|its)\s+)?"
                    r"(?:(?:uk|u\.k\.|british|britain|united kingdom|government|hm government|home office|national)(?:['’]s)?\s+)?")
_SCOPE_NOUN = r"(?:\s+(?:polic(?:y|ies)|strateg(?:y|ies)|documents?|docs|pages?|papers?|framework|programmes?|programs?|approach|agenda))?"
_PLACING = r"in the context of|in relation to|with (?:regard|respect|reference) to|according to|based on|as part of|per|in|under|within|throughout|across"
_PLACING_FIRST = rf"(?:(?:{_PLACING}|regarding|re|concerning|about|on|from|for)\s+)?"


class _ScopeClauses(NamedTuple):
    """Patterns for a clause setting a question in the scope, before it and after it."""

    opening: re.Pattern[str]
    closing: re.Pattern[str]


def _scope_clauses(terms: Iterable[str]) -> _ScopeClauses | None:
    """The clauses setting a question in TERMS (the glossary's scope), or None
    for no terms."""
    spelt = _spelt(terms, shortened=True)
    if not spelt:
        return None
    scope = rf"{_SCOPE_QUALIFIER}(?:{spelt}|{_PLACE}){_SCOPE_NOUN}"
    return _ScopeClauses(
        re.compile(rf"^[^\w\"“”]*{_PLACING_FIRST}{scope}\s*(?:[,:;–—]|\s-)\s*(?=\w)", re.IGNORECASE),
        re.compile(rf"(?:\s*(?:[,;:–—(\[#]|\s-)\s*(?:(?:{_PLACING})\s+)?|\s+(?:{_PLACING})\s+){scope}\s*[)\]]?[\s?.!]*$", re.IGNORECASE),
    )


# "What does the government say about the MAC", "what do these pages say
# on Prevent", "what is the Home Office's view of the DDP": a source named
# as what reports, before what the question is about.
_REPORTED = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay)\W+)?(?:"
    r"(?:what|how)\s+(?:does|do|did|would|will|can)\s+(?P<src>(?:[^?!.:;,\"“”]|\.(?=\w))+?)\s+(?:(?:have|has)\s+to\s+)?"
    r"(?:say|state|write|tell\s+(?:us|me)|mention|report|think)"
    r"|what(?:\s+is|'s|’s)\s+(?P<whose>(?:[^?!.:;,\"“”]|\.(?=\w))+?)(?:['’]s|(?<=s)['’])\s+(?:view|position|stance|line|take|verdict)"
    r")(?:\s+(?:about|on|of|regarding|concerning|towards?)\b)?\W*(?P<rest>\w.*)$",
    re.IGNORECASE | re.DOTALL,
)
# What these pages are, named as what reports ("what do the documents say
# about ..."), and the kinds of page a publisher's name may come before
# ("what does the Home Office blog say about ...").
_THE_PAGES = frozenset(["pages", "page", "documents", "document", "docs", "sources", "texts", "corpus", "site", "website", "websites"])
PAGE_KINDS = _THE_PAGES | {"blog", "post", "article", "press", "release", "guidance", "web", "statement"}
# Kinds of page that say nothing of which page is meant ("the Home Office
# blog post"): after a publisher's name they are not searched; "blog" and
# "press release" stay, as a page's title or publisher may hold them.
_A_PAGE = frozenset(["post", "posts", "article", "articles", "piece"])
# "the blog post", "a web article": after another kind of page, such a word
# names the page, not what it says ("post" would find "post-attack").
_KIND_OF_PAGE = re.compile(
    r"\b(?P<kind>" + "|".join(sorted(PAGE_KINDS - _A_PAGE)) + r")\s+(?:" + "|".join(sorted(_A_PAGE)) + r")\b", re.IGNORECASE)

# A source named as a label before a colon ("HM Government: DDP", "the CTP
# page: referrals"); a colon with no space after it is a field ("site:").
_LABELLED = re.compile(r"^(?P<src>[^:?!\"“”\n]{1,80}):\s+(?P<rest>\S.*)$", re.DOTALL)

_OPEN_BRACKET = re.compile(r"[(\[]\s*$")
_CLOSE_BRACKET = re.compile(r"\s*(?:only\s*)?[)\]]")


def _framed_from(tokens: list[tuple[int, int, str]], first: int) -> int:
    """Where the words naming a source at TOKENS[FIRST] begin, with "according
    to" or "per" (and "the") before it: they go with the name."""
    k = first
    if k and tokens[k - 1][2] == "the":
        k -= 1
    if k >= 2 and [w for _, _, w in tokens[k - 2 : k]] == ["according", "to"]:
        k -= 2
    elif k and tokens[k - 1][2] == "per":
        k -= 1
    return tokens[k][0]


ECHOED_LONGEST = 80  # characters of a query an error message repeats


def _echoed(text: str) -> str:
    """TEXT quoted for an error message: printable, and clipped with "…"
    past ECHOED_LONGEST characters, so the message stays one short line."""
    shown = printable(text)
    return repr(shown if len(shown) <= ECHOED_LONGEST else shown[: ECHOED_LONGEST - 1] + "…")


class Planner:
    """Builds QueryPlans for one index (its glossary and vocabulary)."""

    def __init__(self, glossary: Iterable[dict] = (), vocabulary: Container[str] | None = None, thesaurus: Thesaurus | None = None,
                 frequency: Callable[[str, str], int] | None = None, holds_phrase: Callable[[tuple[str, ...]], bool] | None = None):
        self.glossary = Glossary(glossary)
        self._in_scope = _in_scope_pattern(self.glossary.scope)
        self._scope_clauses = _scope_clauses(self.glossary.scope)
        # The words of what every page is about name nothing a question is about in particular.
        self._scope_words = frozenset(key_form(w) for term in self.glossary.scope for w in TOKEN.findall(term))
        self._scope_terms = frozenset(tuple(key_form(w) for w in TOKEN.findall(term)) for term in self.glossary.scope)
        # The unstemmed words of the corpus (only looked up, never listed).
        self.vocabulary: Container[str] = vocabulary if vocabulary is not None else frozenset()
        self._subject = Subject(self._topical, self.vocabulary.__contains__)
        # How many paragraphs hold a (field, term), and whether some paragraph
        # holds a phrase, when planning for an index.
        self.frequency = frequency
        self.holds_phrase = holds_phrase
        self.thesaurus = thesaurus
        # Publisher names as words -> the ids of their sources (see plan).
        self.publishers: dict[tuple[str, ...], set[str]] = {}
        # The unknown words of a parsed query -> their respellings (Speller.respellings).
        self.respellings: Callable[[str, Q.Query | None], dict[str, str]] | None = None

    def inflections(self, word: str) -> list[str]:
        """The other forms of WORD (lower case) that the pages use and that
        share its stem, by regular endings ("attacks" and "attacked" for
        "attack", "refer" for "referred"): the stemmed fields find them
        already, but the unstemmed one, which holds positions, does not."""
        if not word.isalpha() or len(word) < 3:
            return []
        stem = stem_word(word)
        bases = {word}
        for ending in _INFLECTIONS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                bases |= {word[: -len(ending)], word[: -len(ending)] + "e"}
        found = []
        for base in sorted(bases):
            for ending in ("", *_INFLECTIONS):
                form = base + ending
                if form != word and form not in found and stem_word(form) == stem and form in self.vocabulary:
                    found.append(form)
        return found

    def _inflected_in_pages(self, word: str) -> bool:
        """Whether the pages use WORD with a regular ending ("learning",
        "learned" for "learn"). Not where the inflection is another word's
        too: "ranges" and "ranging" are inflections of "range", not "rang"."""
        if not word.isalpha() or len(word) < 3:
            return False
        if word.endswith("e"):
            forms = [word + "s", word + "d", word[:-1] + "ing"]
        else:
            forms = [word + ("es" if word.endswith(("s", "x", "z", "ch", "sh", "o")) else "s")]
            # "-ed" and "-ing" also inflect the word with an "e" ("ranging": "range").
            if self.thesaurus is None or self.thesaurus.entry(word + "e") is None:
                forms += [word + "ed", word + "ing"]
            if word[-1] not in "aeiouwxy":
                forms += [word + word[-1] + "ed", word + word[-1] + "ing"]
        return any(form in self.vocabulary for form in forms)

    # -- leaves -----------------------------------------------------------
    def _word(self, word: str, boost: float, kind: str, leaves: list[Leaf], origin: str) -> Q.Query | None:
        forms = normalise_word(word)
        if not forms:
            return None
        main = forms[0]
        alts: list[Q.Query] = []

        def add(q: Q.Query, fieldname: str, text: str, how: str) -> None:
            alts.append(q)
            leaves.append(Leaf(q, origin, fieldname, text, how))

        add(Q.Term("plain", main, boost=boost), "plain", main, kind)
        stem = stem_word(main)
        if stem:
            add(Q.Term("body", stem, boost=boost), "body", stem, kind)
            add(Q.Term("heading", stem, boost=boost * HEADING_BOOST), "heading", stem, kind)
        # Two words typed as one ("counterterrorism"); a longer run of letters
        # is no pair of words, and would cost a look-up at every cut.
        if len(forms) == 1 and main.isalpha() and len(main) <= JOINED_LONGEST:
            for cut in range(3, len(main) - 2):
                head, tail = main[:cut], main[cut:]
                if head in self.vocabulary and tail in self.vocabulary:
                    add(Q.Phrase("plain", [head, tail], boost=boost), "plain", f"{head} {tail}", "split")
        if len(forms) > 2 or (len(forms) == 2 and forms[1] != "percent"):
            add(Q.Phrase("plain", forms[1:], boost=boost), "plain", " ".join(forms[1:]), kind)
            # "Ex-offender" is an offender: the word the prefix binds names the
            # thing, though it does not match the word typed. As a related word,
            # only in a plain question, and only when the pages use it.
            if len(forms) == 3 and forms[1] in BOUND_PREFIXES and is_searched(forms[2]) and _LOOSE.get():
                bound = self._head_term(forms[2], boost, leaves, origin)
                if bound is not None:
                    alts.append(bound)
        elif len(forms) == 2:
            add(Q.Term("plain", "percent", boost=boost), "plain", "percent", kind)
        return Q.Or(alts)

    def _term(self, text: str, boost: float, kind: str, leaves: list[Leaf], origin: str) -> Q.Query | None:
        words = phrase_words(text)
        if len(TOKEN.findall(plain(text))) == 1:
            return self._word(text, boost, kind, leaves, origin)
        if not words:
            return None
        # A phrase scores the sum of its words' scores; scaled, a phrase of any
        # length weighs about as much as two matched words.
        q = Q.Phrase("plain", words, boost=boost * PHRASE_WORDS / len(words))
        leaves.append(Leaf(q, origin, "plain", " ".join(words), kind))
        heading = self._in_heading(words, boost, leaves, origin) if kind == "expansion" else None
        return Q.Or([q, heading]) if heading is not None else q

    @staticmethod
    def _in_heading(words: list[str], boost: float, leaves: list[Leaf], origin: str) -> Q.Query | None:
        """An equivalent of several words (an acronym's name spelled out) in a
        heading that does not hold the word typed, as one word in a heading
        weighs: "DDP" finds the paragraphs under "Desistance and
        Disengagement Programme" that say "the programme". The heading field
        keeps no positions, so its words are looked for together, not in
        order. None when they are the typed word's own words ("multi agency"
        for "multi-agency") or already looked for."""
        stems = [st for st in (stem_word(w) for w in words if is_searched(w)) if st]
        text = " ".join(stems)
        own = [st for st in (stem_word(w) for w in phrase_words(origin)) if st]
        if len(stems) < 2 or not own or set(stems) <= set(own):
            return None
        if any(leaf.field == "heading" and leaf.text == text for leaf in leaves):
            return None  # two spellings of one name ("Desistence", "Desistance") stem alike
        # A heading that names it by the word typed already counts that word.
        q = Q.AndNot(Q.And([Q.Term("heading", st) for st in stems], boost=boost * HEADING_BOOST / len(stems)),
                     Q.And([Q.Term("heading", st) for st in own]))
        leaves.append(Leaf(q, origin, "heading", text, "expansion"))
        return q

    def _concept(self, word: str, leaves: list[Leaf], boost: float = 1.0) -> Q.Query | None:
        key = (key_form(word),)
        alts = [self._word(word, boost, "exact", leaves, word)]
        other = other_numeral(key[0])
        if other:
            alts.append(self._word(other, boost, "figure", leaves, word))
        alts += self._expansions(key, boost, leaves, word)
        alts += self._other_words(key[0], boost, leaves, word)
        alts += self._compound_head(word, boost, leaves)
        respelled = _RESPELT.get().get(key[0])
        if respelled:
            first = len(leaves)
            weight = boost * RESPELLED_BOOST
            alts += [self._word(respelled, weight, "respelled", leaves, word), *self._expansions((respelled,), weight, leaves, word),
                     *self._other_words(respelled, weight, leaves, word)]
            # Its forms and equivalents too are aids only: the word typed stays
            # unmatched, and the search can tell what the typed words find.
            for leaf in leaves[first:]:
                leaf.kind = "respelled"
        found = [a for a in alts if a is not None]
        return Q.Or(found) if found else None

    def _compound_head(self, word: str, boost: float, leaves: list[Leaf]) -> list[Q.Query | None]:
        """The last word of a two-word compound the pages know neither as a
        whole nor by its first word ("binge-watching"), with its equivalents,
        as related words: the compound is a kind of its last word, and the
        first says nothing the pages can match. Only in a plain question."""
        forms = normalise_word(word)
        if (len(forms) != 3 or forms[1] in BOUND_PREFIXES or not is_searched(forms[2]) or not _LOOSE.get()
                or self._used([forms[0]]) or self._used([forms[1]])):
            return []
        first = len(leaves)
        weight = boost * PREFIXED_HEAD_WEIGHT
        out = [self._head_term(forms[2], boost, leaves, word), *self._expansions((forms[2],), weight, leaves, word),
               *self._other_words(forms[2], weight, leaves, word)]
        for leaf in leaves[first:]:
            leaf.kind = "related"
        return out

    def _head_term(self, head: str, boost: float, leaves: list[Leaf], origin: str) -> Q.Query | None:
        """HEAD, the last part of a hyphened word ("offender" in
        "ex-offender"), looked for in the text as a related word at
        PREFIXED_HEAD_WEIGHT, when the pages use it; else None."""
        stem = stem_word(head) if self._used([head]) else None
        return self._text_term(stem, boost * PREFIXED_HEAD_WEIGHT, "related", leaves, origin) if stem else None

    def _expansions(self, key: tuple[str, ...], boost: float, leaves: list[Leaf], origin: str,
                    quoted: bool = False) -> list[Q.Query | None]:
        """KEY's glossary equivalents and related words, at reduced weight (a
        related word ranks as an equivalent does, but does not count as
        matching the question's word; a query with AND or NOT, or a phrase
        in QUOTED marks, asks for the words themselves)."""
        loose = _LOOSE.get() and not quoted
        out: list[Q.Query | None] = []
        stems: set[str] = set()
        for term, related in self.glossary.expansions(key):
            if not related:
                out.append(self._term(term, boost * EXPANSION_BOOST, "expansion", leaves, origin))
                continue
            words = phrase_words(term)
            # A related word the pages never use would only cost a look-up.
            if not loose or not self._used(words):
                continue
            stem = stem_word(words[0]) if len(words) == 1 else None
            if stem in stems:
                continue  # "sentence" and "sentencing" are one stem
            if stem:
                stems.add(stem)
            out.append(self._text_term(stem, boost * EXPANSION_BOOST, "related", leaves, origin) if stem
                       else self._term(term, boost * EXPANSION_BOOST, "related", leaves, origin))
        return out

    def _used(self, words: list[str]) -> bool:
        """Whether the corpus holds WORDS (a word in any form; a phrase as
        written); taken as so without an index to ask."""
        if len(words) == 1:
            return self.frequency is None or self.frequency("body", _stem_or_word(words[0])) > 0
        return self.holds_phrase is None or self.holds_phrase(tuple(words))

    @staticmethod
    def _text_term(stem: str, boost: float, kind: str, leaves: list[Leaf], origin: str) -> Q.Query:
        """A word looked for in the text only, by its stem: a synonym or a
        related word in a heading would lift every paragraph under it."""
        q = Q.Term("body", stem, boost=boost)
        leaves.append(Leaf(q, origin, "body", stem, kind))
        return q

    def _other_words(self, text: str, boost: float, leaves: list[Leaf], origin: str) -> list[Q.Query | None]:
        """The thesaurus's irregular forms and synonyms of TEXT (a word or a
        phrasal word) that the corpus uses, at reduced weight."""
        entry = self.thesaurus.lookup(text) if self.thesaurus is not None and text.isascii() else None
        if entry is None:
            return []
        own = {stem_word(key_form(w)) for w in text.split()}
        out: list[Q.Query | None] = []
        # Derived words ("compliance" for "comply") count as synonyms do.
        for other, weight, kind in [(f, FORM_BOOST, "form") for f in entry.forms] + [
            (s, SYNONYM_BOOST, "synonym") for s in entry.synonyms[:MAX_SYNONYMS] + entry.derived[:MAX_SYNONYMS]
        ]:
            words = [key_form(w) for w in other.split()]
            # An irregular form counts when the pages hold it or a regular
            # inflection of it ("learn" for "learnt", where they say "learning").
            if not all(w and (w in self.vocabulary or (kind == "form" and self._inflected_in_pages(w))) for w in words):
                continue
            content = [w for w in words if is_searched(w)]
            # A synonym of several words would be a phrase: at scale a phrase
            # of common words ("terrorist act") costs more than the question.
            if not content or len(words) > 1 or stem_word(words[0]) in own:
                continue
            stem = stem_word(words[0]) if kind == "synonym" else None
            if stem:
                out.append(self._text_term(stem, boost * weight, kind, leaves, origin))
            else:
                out.append(self._term(other, boost * weight, kind, leaves, origin))
        return out

    # -- tree ---------------------------------------------------------------
    def _group_extras(self, words: list[str], searched: list[bool], leaves: list[Leaf]) -> list[tuple[int, int, Q.Query]]:
        """Concepts spanning consecutive words (glossary terms, shares in words
        such as "two thirds", and joined forms) as (first word, last word + 1,
        query). WORDS are the question's words in order, stop words too (a
        glossary term may hold them: "members of the public"); SEARCHED says
        which are searched, and the spans count those alone (a glossary term
        of unsearched words alone, "take down", spans none: (k, k, query))."""
        keys = [key_form(w) for w in words]
        before = list(accumulate(searched, initial=0))  # searched words before each word
        extras: list[tuple[int, int, Q.Query]] = []
        for size in range(min(max(self.glossary.longest, SHARE_WORDS), len(keys)), 1, -1):
            for start in range(len(keys) - size + 1):
                first, last = before[start], before[start + size]
                key = tuple(keys[start : start + size])
                listed = key in self.glossary
                # A glossary term of function words alone ("take down") is a
                # concept of its own, beside the words searched.
                if first >= last and not listed:
                    continue
                share = None if listed else share_of(key)
                if not listed and share is None:
                    continue
                origin = " ".join(words[start : start + size])
                alts = [self._term(origin, 1.0, "exact", leaves, origin)]
                alts += self._expansions(key, 1.0, leaves, origin) if share is None else self._percentages(share, leaves, origin)
                extras.append((first, last, Q.Or([a for a in alts if a is not None])))
        plain_keys = [k for k, s in zip(keys, searched) if s]
        for k, (a, b) in enumerate(pairwise(plain_keys)):
            joined = self._word(a + b, 1.0, "joined", leaves, f"{a} {b}") if a and b and a + b in self.vocabulary else None
            if joined is not None:
                extras.append((k, k + 2, joined))
        return extras

    def _percentages(self, share: float, leaves: list[Leaf], origin: str) -> list[Q.Query | None]:
        """A share in words (ORIGIN, "two thirds") as the percentages within
        PERCENT_WITHIN points of it that the pages hold ("65%" for "two
        thirds"), nearest first, at reduced weight and as related words (a
        page's 65% does not match the question's "two thirds"); a query with
        AND or NOT asks for the words themselves."""
        if not _LOOSE.get():
            return []
        near = round(100 * share)
        values = sorted(range(near - PERCENT_WITHIN, near + PERCENT_WITHIN + 1), key=lambda v: abs(v - near))
        return [self._term(f"{value} percent", EXPANSION_BOOST, "related", leaves, origin)
                for value in values if 0 < value < 100 and self._used([str(value), "percent"])]

    def _phrasal(self, children: list[Q.Query], rewritten: list[Q.Query | None], leaves: list[Leaf]) -> None:
        """Add to a word's concept the synonyms of the phrasal word it starts
        with the next word ("locked up": "imprisoned")."""
        for k, (a, b) in enumerate(pairwise(children)):
            concept = rewritten[k]
            if concept is None or not isinstance(a, Q.Term) or not isinstance(b, Q.Term) or "q" != a.fieldname or "q" != b.fieldname:
                continue
            first, second = key_form(str(a.text)), key_form(str(b.text))
            # Phrasal words are a word and a particle ("lock up", "set out").
            if not first or second not in FUNCTION_WORDS:
                continue
            extra = [q for q in self._other_words(f"{first} {second}", a.boost, leaves, str(a.text)) if q is not None]
            if extra:
                rewritten[k] = Q.Or([concept, *extra])

    def _rewrite(
        self,
        node: Q.Query,
        leaves: list[Leaf],
        filters: dict[str, list[str]],
        top: bool,
        units: list[Unit] | None = None,
    ) -> Q.Query | None:
        """NODE of the parsed tree rewritten for the index, or None when it
        leaves nothing to search. Filters at the TOP level go to FILTERS; the
        leaves searched are added to LEAVES and, for a plain-words question,
        one query per word to UNITS."""
        if isinstance(node, Q.Term):
            return self._rewrite_term(node, leaves, filters, top)
        if isinstance(node, Q.Phrase):
            return self._rewrite_phrase(node, leaves)
        if isinstance(node, (Q.Wildcard, Q.Prefix)):
            return self._rewrite_wildcard(node, leaves)
        if isinstance(node, (Q.Not, Q.AndNot, Q.AndMaybe)):
            return self._rewrite_modifier(node, leaves, filters, top)
        if isinstance(node, (Q.And, Q.Or)):
            return self._rewrite_group(node, leaves, filters, top, units)
        return None

    def _rewrite_term(self, node: Q.Term, leaves: list[Leaf], filters: dict[str, list[str]], top: bool) -> Q.Query | None:
        """A word: a filter (strand:, source:), a heading: term, or a concept."""
        if node.fieldname in FILTER_FIELDS:
            if top:
                filters.setdefault(node.fieldname, []).append(str(node.text))
                return None
            return Q.Term(node.fieldname, node.text)
        word = str(node.text)
        if not is_searched(key_form(word)):
            return None
        if node.fieldname == "heading":
            stem = stem_word(key_form(word))
            if not stem:
                return None
            q = Q.Term("heading", stem, boost=node.boost * HEADING_BOOST)
            leaves.append(Leaf(q, word, "heading", stem, "exact"))
            return q
        return self._concept(word, leaves, node.boost)

    def _rewrite_phrase(self, node: Q.Phrase, leaves: list[Leaf]) -> Q.Query | None:
        """A quoted phrase, in the unstemmed field, with its glossary equivalents."""
        words = phrase_words(" ".join(str(w) for w in node.words))
        if not words:
            return None
        origin = " ".join(str(w) for w in node.words)
        phrase = Q.Phrase("plain", words, boost=node.boost)
        leaves.append(Leaf(phrase, f'"{origin}"', "plain", " ".join(words), "phrase"))
        found: list[Q.Query] = [phrase]
        if _LOOSE.get():
            # Quotes keep words together; "subject of interest" is also the
            # pages' "subjects of interest", a little below the phrase as typed.
            for other in self._phrase_forms(words):
                form = Q.Phrase("plain", other, boost=node.boost * FORM_BOOST)
                leaves.append(Leaf(form, f'"{origin}"', "plain", " ".join(other), "phrase"))
                found.append(form)
        key = tuple(key_form(w) for w in node.words)
        expansions = self._expansions(key, 1.0, leaves, origin, quoted=True)
        found += [a for a in expansions if a is not None]
        return found[0] if len(found) == 1 else Q.Or(found)

    def _phrase_forms(self, words: list[str]) -> list[list[str]]:
        """WORDS with some of them in other forms the pages use (see
        inflections), fewest changes first, at most PHRASE_FORMS."""
        others = [(k, form) for k, w in enumerate(words) for form in self.inflections(w)]
        out: list[list[str]] = []
        # A long phrase has too many combinations to list: changes are
        # taken one word at a time, then two, up to the limit.
        for changed in range(1, len(words) + 1):
            for combo in combinations(others, changed):
                places = [k for k, _ in combo]
                if len(set(places)) < changed:
                    continue
                form = list(words)
                for k, other in combo:
                    form[k] = other
                out.append(form)
                if len(out) >= PHRASE_FORMS:
                    return out
        return out

    def _rewrite_wildcard(self, node: Q.Wildcard | Q.Prefix, leaves: list[Leaf]) -> Q.Query | None:
        """A wildcard, in the unstemmed field (stems cannot match one)."""
        pattern = plain(str(node.text)).lower() + ("*" if isinstance(node, Q.Prefix) else "")
        if not re.search(r"\w", pattern):
            return None
        wildcard = Q.Wildcard("plain", pattern)
        leaves.append(Leaf(wildcard, pattern, "plain", pattern, "wildcard"))
        return wildcard

    def _rewrite_modifier(self, node: Q.Query, leaves: list[Leaf], filters: dict[str, list[str]], top: bool) -> Q.Query | None:
        """NOT, ANDNOT and ANDMAYBE: what is excluded or optional is not ranked on."""
        if isinstance(node, Q.Not):
            inner = self._rewrite(node.query, leaves, filters, False)
            return Q.Not(inner) if inner is not None else None
        if isinstance(node, Q.AndNot):
            pos = self._rewrite(node.a, leaves, filters, top)
            neg = self._rewrite(node.b, [], filters, False)
            if pos is None:
                return None
            return Q.AndNot(pos, neg) if neg is not None else pos
        assert isinstance(node, Q.AndMaybe)
        req = self._rewrite(node.a, leaves, filters, top)
        opt = self._rewrite(node.b, leaves, filters, False)
        if req is None:
            return opt
        return Q.AndMaybe(req, opt) if opt is not None else req

    def _rewrite_group(
        self, node: Q.And | Q.Or, leaves: list[Leaf], filters: dict[str, list[str]], top: bool, units: list[Unit] | None
    ) -> Q.Query | None:
        """AND and OR groups. In an OR of plain words (a question), runs of
        words add their phrasal synonyms, glossary terms and compounds, and a
        NOT inside excludes rather than matching everything else."""
        children = list(node.subqueries)
        negated = [c.query for c in children if isinstance(c, Q.Not)]
        positive = [c for c in children if not isinstance(c, Q.Not)]
        rewritten = [self._rewrite(c, leaves, filters, top) for c in positive]
        if isinstance(node, Q.Or):
            self._phrasal(positive, rewritten, leaves)
        parts = [p for p in rewritten if p is not None]
        if isinstance(node, Q.Or):
            in_order = [(str(c.text), q) for c, q in zip(positive, rewritten) if isinstance(c, Q.Term) and c.fieldname == "q"]
            plain_words = [(w, q) for w, q in in_order if q is not None]
            extras = self._group_extras([w for w, _ in in_order], [q is not None for _, q in in_order], leaves)
            # The words of a glossary term or a compound ("ordinary people",
            # "counter terrorism") count for less on their own: the term says
            # what is asked, and "people" in a heading would outweigh it.
            for k in {k for a, b, _ in extras for k in range(a, b)}:
                for leaf in plain_words[k][1].leaves():
                    if isinstance(leaf, (Q.Term, Q.Phrase)):
                        leaf.boost *= SPANNED_WORD_WEIGHT
            parts += [q for _, _, q in extras]
            if units is not None:
                units.extend(self._units(plain_words, extras))
                # A phrase in quotes, a heading: word: the thing itself, not words.
                units.extend(Unit([], [p]) for c, p in zip(positive, rewritten) if p is not None and not (isinstance(c, Q.Term) and c.fieldname == "q"))
        if not parts:
            return None
        combined = parts[0] if len(parts) == 1 else type(node)(parts)
        negs = [n for n in (self._rewrite(c, [], filters, False) for c in negated) if n is not None]
        if negs and isinstance(node, Q.Or):
            return Q.AndNot(combined, negs[0] if len(negs) == 1 else Q.Or(negs))
        if negs:
            return Q.And([combined] + [Q.Not(n) for n in negs])
        return combined

    @staticmethod
    def _units(plain_words: list[tuple[str, Q.Query]], extras: list[tuple[int, int, Q.Query]]) -> list[Unit]:
        """A Unit per word of the question, with the extras covering it (for
        coverage). Words joined by a glossary term or a compound ("Home
        Secretary", "counter terrorism") count as one unit; a glossary term
        of unsearched words alone ("take down") is a unit of its own."""
        group = list(range(len(plain_words)))
        for a, b, _ in extras:
            for k in range(a, b):
                group[k] = group[a]
        out: list[Unit] = []
        for g in sorted(set(group)):
            members = [k for k in range(len(plain_words)) if group[k] == g]
            out.append(Unit([plain_words[k][1] for k in members], [e for a, b, e in extras if a <= members[0] < b]))
        return out + [Unit([], [e]) for a, b, e in extras if a == b]

    def _publisher_named(self, cleaned: str) -> tuple[str, set[str]]:
        """The sources of a publisher CLEANED names, and CLEANED without the
        name when it only says where the answer should come from ("according
        to London Councils", "the CTP page on ...", "London Councils on Protect"): a named publisher is a
        preference, like a named strand, and its words would otherwise match
        pages that merely mention it. As the subject ("who funds Counter
        Terrorism Policing") or qualifying another word of the question ("in
        the CTP network") the name stays to be searched."""
        if not self.publishers:
            return cleaned, set()
        tokens = [(m.start(), m.end(), key_form(m.group())) for m in TOKEN.finditer(cleaned)]
        content = [k for k, (_, _, w) in enumerate(tokens) if is_searched(w)]
        for words in sorted(self.publishers, key=len, reverse=True):
            n = len(words)
            for i in range(len(content) - n + 1):
                first, last = content[i], content[i + n - 1]
                if tuple(tokens[k][2] for k in content[i : i + n]) != words or cleaned[: tokens[first][0]].count('"') % 2:
                    continue
                before = [w for _, _, w in tokens[max(0, first - 3) : first] if w != "the"][-2:]
                after = tokens[last + 1][2] if last + 1 < len(tokens) else ""
                # "in the CTP network": a name before another word of the
                # question qualifies it, as the subject, not the source.
                # "CTP: what does Pursue involve": a name that opens the
                # question before its question word says where to look.
                # "London Councils on Prevent": a name that opens the question
                # before "on" names the page to read on what follows, and
                # so does one before a word that frames it ("London
                # Councils list of Prevent aims").
                opens = not before and (after in _ASKING or after == "on" or (after in QUESTION_WORDS and after not in FUNCTION_WORDS))
                # "according to London Councils" and "per CTP" say where to look, whatever follows.
                start, end = _framed_from(tokens, first), tokens[last][1]
                # "(Home Office)", "(official sources only)": a name in brackets after the question.
                opened, closed = _OPEN_BRACKET.search(cleaned, 0, start), _CLOSE_BRACKET.match(cleaned, end)
                bracketed = opened is not None and closed is not None
                framed = opens or bracketed or after in _SOURCE_WORDS or before[-1:] == ["per"] or before == ["according", "to"] or (
                    not is_searched(after) and before[-1:] in (["on"], ["in"], ["from"]))
                if not framed or len(content) == n:
                    return cleaned, self.publishers[words]
                if opened is not None and closed is not None:
                    start, end = opened.start(), closed.end()
                rest = cleaned[end:]
                k = last + 1
                # Only kinds of page written straight after the name go with it.
                while k < len(tokens) and tokens[k][2] in PAGE_KINDS and not cleaned[tokens[k - 1][1] : tokens[k][0]].strip():
                    if tokens[k][2] in _A_PAGE:
                        rest = rest[: tokens[k][0] - end] + " " * (tokens[k][1] - tokens[k][0]) + rest[tokens[k][1] - end :]
                    k += 1
                return re.sub(r"\s{2,}", " ", cleaned[:start] + " " + rest).strip(), self.publishers[words]
        return cleaned, set()

    def _topical(self, word: str) -> bool:
        """Whether WORD (a key form) is a word of the glossary that names a
        subject: "teacher" does; "counter-terrorism" (the glossary's scope)
        and "UK" (where every page is about) do not."""
        return (word,) in self.glossary and word not in self._scope_words and word not in _HERE_NAMES

    def _reported(self, cleaned: str) -> tuple[str, set[str]]:
        """CLEANED without its opening words when they ask what a source says
        about something ("what does the government say about the MAC", "what
        is London Councils' view on Prevent"), and the sources that names:
        the question asks about what follows, and the source is a
        preference. The source is a publisher, the official pages, these
        pages or what every page is about (the glossary's scope); another
        ("what did the minister say about ...") leaves CLEANED as it is."""
        match = _REPORTED.match(cleaned)
        return self._from_source(cleaned, match.group("src") or match.group("whose"), match.group("rest")) if match else (cleaned, set())

    def _labelled(self, typed: str) -> tuple[str, set[str]]:
        """TYPED without a source's name that opens it as a label before a
        colon ("HM Government: DDP", "London Councils: Protect"), and the
        sources that names, as _reported reads them. A kind of page after
        the name ("Home Office blog: ...") stays to be searched, as it
        names which of the publisher's pages (see _publisher_named)."""
        match = _LABELLED.match(typed)
        return self._from_source(typed, match.group("src"), match.group("rest"), kinds=False) if match else (typed, set())

    def _from_source(self, text: str, named: str, rest: str, kinds: bool = True) -> tuple[str, set[str]]:
        """REST and the sources NAMED names, when NAMED is a publisher (with
        KINDS, a kind of page may follow: "the Home Office blog"), the
        official pages ("the government"), these pages or what every page is
        about (no source in particular), and REST has a word to search; else
        TEXT."""
        words = tuple(w for w in (key_form(t) for t in TOKEN.findall(named)) if w and w not in ("the", "these", "this", "those", "your") and w not in _A_PAGE)
        if not words or not any(is_searched(key_form(w)) for w in TOKEN.findall(rest)):
            return text, set()
        if set(words) <= _THE_PAGES:
            return rest, set()
        while True:
            if words in self.publishers:
                return rest, self.publishers[words]
            if words in self._scope_terms:
                return rest, set()
            if not kinds or len(words) == 1 or words[-1] not in PAGE_KINDS:
                return text, set()
            words = words[:-1]

    def _stop_words_as_acronyms(self, cleaned: str) -> str:
        """CLEANED with a stop word typed as an acronym the glossary lists
        ("the US") spelled out as the glossary gives it ("the United
        States"), outside quotes: lower-cased, it would not be searched, and
        the index cannot tell "US" from "us". A question typed all in
        capitals has no acronyms."""
        if shouted(cleaned):
            return cleaned

        def spelt(match: re.Match[str]) -> str:
            word = match.group(0)
            if is_searched(key_form(word)):
                return word
            return self.glossary.spelt_out(word) or word

        return _outside_quotes(cleaned, lambda part: _ACRONYM.sub(spelt, part))

    def _scope_clause_dropped(self, text: str) -> str:
        """TEXT without a clause setting it in what every page is about (see
        _scope_clauses), unless nothing searched is left."""
        clauses = self._scope_clauses
        if clauses is None:
            return text
        # A clause is short: it is looked for near the end it sits at, so a long query costs no more.
        dropped = text
        opening = clauses.opening.match(dropped[:_FRAME_REACH])
        if opening:
            dropped = dropped[opening.end():]
        closing = clauses.closing.search(dropped, max(0, len(dropped) - _FRAME_REACH))
        if closing:
            dropped = dropped[: closing.start()]
        if dropped == text or not any(is_searched(key_form(w)) for w in TOKEN.findall(dropped)):
            return text
        return dropped

    def _in_scope_dropped(self, cleaned: str) -> str:
        """CLEANED without the words placing it in what every page is about
        (the glossary's scope: "in CONTEST", "under the UK's counter-terrorism
        strategy"), unless nothing searched is left: every page is about it,
        so those words only lifted the passages that name it."""
        pattern = self._in_scope
        if pattern is None:
            return cleaned
        dropped = _outside_quotes(cleaned, lambda part: pattern.sub(" ", part))
        if dropped == cleaned or not any(is_searched(key_form(w)) for w in TOKEN.findall(dropped)):
            return cleaned
        return " ".join(dropped.split())

    def plan(self, text: str, respell: bool = True) -> QueryPlan:
        """Parse and rewrite TEXT. With RESPELL, a word known nowhere is also
        looked for as respelled (see respellings), as a ranking aid. Raises
        InvalidInput for a query with nothing to search for, or one holding
        bytes that are not text."""
        bad = _UNDECODABLE.search(text)
        if bad:
            raise InvalidInput(
                f"the query holds a byte that is not UTF-8 text ({printable(bad.group(0))} at character {bad.start() + 1}); "
                "type it again or set a UTF-8 locale"
            )
        typed = strip_controls(_BLANK_LINE.sub(". ", text), keep_layout=False)
        quoted = _QUOTED_QUESTION.fullmatch(typed)
        if quoted and any(is_searched(key_form(w)) for w in TOKEN.findall(quoted.group(1))):
            typed = quoted.group(1)
        typed, labelled = self._labelled(typed)
        cleaned = in_figures(clean_query(self._scope_clause_dropped(typed), self._subject))
        if not cleaned.strip():
            if text.strip():
                raise InvalidInput(f"the query {_echoed(text)} has no words to search for (only symbols or punctuation); add a word")
            raise InvalidInput("the query is empty; give some words to search for")
        cleaned, sites = _sites_named(cleaned)
        cleaned, reporting = self._reported(cleaned)
        cleaned, publishers = self._publisher_named(cleaned)
        publishers = publishers | reporting | labelled
        cleaned = self._in_scope_dropped(cleaned)
        cleaned = _outside_quotes(cleaned, lambda part: _KIND_OF_PAGE.sub(r"\g<kind>", part))
        cleaned = self._stop_words_as_acronyms(cleaned)
        try:
            # A question in capitals is parsed in lower case: its AND, OR and NOT are words.
            parsed = parse(without_comparing(cleaned.lower() if _shouted_question(cleaned) else cleaned))
        except Exception as exc:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
            raise InvalidInput(f"cannot parse the query {_echoed(text)} ({exc}); check quotes and brackets") from None
        leaves: list[Leaf] = []
        filters: dict[str, list[str]] = {}
        units: list[Unit] = []
        plain_words = parsed is None or not _has_operators(parsed)
        loose = _LOOSE.set(plain_words)
        # A word known nowhere ("survelliance") is also looked for as respelled,
        # as a ranking aid: it still counts as unmatched.
        respelt = _RESPELT.set(self.respellings(cleaned, parsed) if self.respellings and respell and plain_words else {})
        try:
            rewritten = self._rewrite(parsed, leaves, filters, True, units)
        finally:
            _LOOSE.reset(loose)
            _RESPELT.reset(respelt)
        if sites:
            filters["site"] = sites
        words = [str(t[1]) for t in parsed.all_terms() if t[0] == "q"] if parsed is not None else []
        if rewritten is None and not filters:
            if any(key_form(w) for w in words):
                raise InvalidInput(
                    f"the query {_echoed(text)} holds only common words (such as 'what', 'is', 'the'), which are not searched; "
                    'add a word that says what you are looking for, or put an exact phrase in quotes ("what we do")'
                )
            raise InvalidInput(
                f"the query {_echoed(text)} has no words to search for (only punctuation or operators); add a word"
            )
        query = _distinct(rewritten, set()) if rewritten is not None else Q.Every()
        for unit in units:
            unit.query = _distinct(unit.query, set())
        for q in [query, *(unit.query for unit in units)]:
            _union_trees(q)
        return QueryPlan(text, query, leaves, filters, words, units, cleaned, parsed, publishers, self.inflections)


# A blank line after a word ends a sentence ("Subject: enquiry\n\nwho runs
# Channel"), as a full stop would.
_BLANK_LINE = re.compile(r"(?<=\w)[ \t]*(?:\r?\n[ \t]*){2,}")


# A whole question in quotes, its question mark inside them ("“What is the
# DDP?”"): it is quoted as said or pasted, not as a phrase the page must
# hold (unless it holds only common words, which only a phrase searches).
_QUOTED_QUESTION = re.compile(r"\s*[\"“”]([^\"“”]*\?)\s*[\"“”]\s*")


def _shouted_question(text: str) -> bool:
    """Whether TEXT is a question typed all in capitals ("WHAT DOES THE MAC
    NOT DO"), not a query of acronyms and operators ("CTP AND MI5"): its
    capitals say nothing, and its "AND", "OR" and "NOT" are words, not
    operators. A function or question word besides them tells it."""
    return shouted(text) and any(w.lower() in QUESTION_WORDS and w.lower() not in ("and", "or") for w in TOKEN.findall(text))


# "site:gov.uk", as search engines take it: only the pages at that address.
_SITE = re.compile(r"(?<![^\s(])site:([^\s()]*[^\s()'\"’”.,;:!?])", re.IGNORECASE)


def _sites_named(text: str) -> tuple[str, list[str]]:
    """TEXT without its "site:ADDRESS" filters (outside quotes), and the
    addresses."""
    sites: list[str] = []

    def take(part: str) -> str:
        sites.extend(m.group(1) for m in _SITE.finditer(part))
        return _SITE.sub(" ", part)

    return _outside_quotes(text, take).strip(), sites


# Whether the query being planned is a question in plain words, with no AND or NOT.
_LOOSE: ContextVar[bool] = ContextVar("loose", default=True)
# The unknown words of the query being planned and their respellings.
_RESPELT: ContextVar[dict[str, str]] = ContextVar("respelt", default={})  # noqa: B039 - never mutated


def _has_operators(query: Q.Query) -> bool:
    """Whether QUERY holds AND, NOT, ANDNOT or ANDMAYBE."""
    if isinstance(query, (Q.And, Q.Not, Q.AndNot, Q.AndMaybe, Q.Require)):
        return True
    return any(_has_operators(child) for child in query.children())


def _distinct(query: Q.Query, seen: set[Q.Query]) -> Q.Query:
    """QUERY with a term or phrase that an OR already holds (equal by Whoosh's
    own query equality: field, words and boost) left out where it comes
    again: glossary expansions of a word and of the term it starts often
    repeat each other, and each copy costs a matcher. SEEN holds the terms
    met so far."""
    if not isinstance(query, Q.Or):
        return query
    kept: list[Q.Query] = []
    for child in query.subqueries:
        if isinstance(child, (Q.Term, Q.Phrase)):
            if child not in seen:
                seen.add(child)
                kept.append(child)
        else:
            inner = _distinct(child, seen)
            if not isinstance(inner, Q.Or) or inner.subqueries:
                kept.append(inner)
    same = len(kept) == len(query.subqueries) and all(a is b for a, b in zip(kept, query.subqueries))
    return query if same else Q.Or(kept, boost=query.boost)


def _union_trees(query: Q.Query) -> None:
    """Make every Or in QUERY match with Whoosh's tree of union matchers. On
    small indexes Whoosh picks a matcher that preloads every match of every
    clause, which costs more than the search itself on queries of many
    clauses like ours."""
    if isinstance(query, Q.Or):
        query.matcher_type = Q.Or.DEFAULT_MATCHER
    for child in query.children():
        _union_trees(child)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance between A and B, or LIMIT+1 once it exceeds LIMIT."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
