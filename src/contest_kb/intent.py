"""What a question asks for, beyond its words, and which passages give it.

* A bare term (a word, an acronym or a name of up to four words asked on its
  own, or in a frame such as "what is", "tell me about", "explain" or "what
  does ... mean") asks what it is: the paragraph that defines or spells it out ("... Unit
  (CTIRU) works ...", "Multi-Agency Centre (MAC)", "The MAC is ...") answers
  it better than a passing mention. Asked what it is for ("what is the MAC
  for", "the aims of the DDP", "the point of Prevent"), a passage stating a
  purpose ("aims to", "primarily aimed at", "the objective is") answers it
  better still; an item of a list holds what the line introducing it holds
  ("The aims of Prevent are to:").
* "When" asks for a date, "who" for a person or a body (a name; when it asks
  who does something, "who assesses …" or "by whom", also a body in plain
  words, "specialist officers", or the agent of a passive), "where" for a place,
  "why" for a reason ("because", "in order to", ...), "how many", "how much",
  "how often" or "what share" for a figure: a passage holding one answers it
  better than one that does not, and a figure next to what the question
  counts ("how many investigations": "800 live investigations") better
  still. The question's first question word decides, wherever a frame puts
  it ("according to London Councils, why ..."); after "what" or "which" a
  noun naming the kind of answer ("which regions", "what year", "which
  minister") asks as "where", "when" or "who" would, and with no question
  word a noun naming a date asks "when" ("start date of the DDP", not "a
  year" or "last year") and one naming places "where" ("MAC pilot
  regions"); a passage holding a date matches "year", "date" or
  "month" itself, as the answer holds no such word.

* A comparison ("difference between X and Y", "X versus Y", "how does X
  differ from Y", "X compared with Y", "what separates X from Y") asks what each side is: the passages
  that describe X and Y come first, unless one passage speaks of both.
  What they are compared on, when one side says it ("how does Pursue
  differ from Prevent in what CTP contributes"), is asked of both sides. A
  passage that names both only in a list ("Protect, Prepare, Pursue and
  Prevent") does not speak of both.

Each is a preference (a factor on the score or an order), never a filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .analysis import FILLER_WORDS, TOKEN, british, is_searched, normalise_word, stem_word
from .numerals import WORD_OF

OPENING_CHARS = 40  # how near its start a paragraph that opens with a definition names the term
DEFINITION_PREFERENCE = 2.5  # as much as a heading naming the term weighs
INTENT_PREFERENCE = 1.2
COUNTED_PREFERENCE = 1.5  # for a figure next to what the question counts
COUNTED_WITHIN = 3  # words from a figure to what it counts

# Numbers in words: the figure feature's, and what may count a thing.
_NUMBERS = tuple(WORD_OF[n] for n in range(1, 11))
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Two or more capitalised words in a row, not at the start of the passage: a
# name (Ken McCallum, Sajid Javid, the Operational Improvement Review).
_NAME = r"(?<=[a-z,;:] )(?:[A-Z][\w'’.-]{1,40} ){1,3}[A-Z][\w'’.-]{1,40}"
# Who does a thing, in plain words: a body named by what its people are
# ("specialist officers and staff", "local authorities") or the agent of a
# passive ("assessed by", "run by").
_BODY = (r"\b(?:officers|staff|specialists|professionals|practitioners|experts|mentors|panels?|agencies|authorities"
         r"|partners|councils|boroughs|department|ministry|teams|services|unit|forces|probation)\b"
         r"|\b(?:[a-z]{2,}ed|run|led|made|done|given|taken|held|set up|overseen|seen|known) by\b")
# What a passage may hold, as patterns: a date; a name; an agent (a name or a
# body); a place; a figure; a reason; a purpose ("aims to", "the objective").
_FEATURE_PATTERNS = (
    ("date", rf"\b(?:1[89]|20)\d\d\b|\b(?:{_MONTHS})\b", 0),
    ("name", _NAME, 0),
    ("agent", f"{_NAME}|{_BODY}", 0),
    ("place", r"\b(?:in|at|to|across|from) (?:the )?[A-Z][a-z]+", 0),
    ("figure", rf"\d|\b(?:{'|'.join(_NUMBERS)}|a third|a quarter|half)\b", re.IGNORECASE),
    ("reason", r"\b(?:because|so that|in order to|so as to|due to|as a result|therefore|to ensure)\b", re.IGNORECASE),
    ("purpose", r"\b(?:aim(?:s|ed)?|purposes?|objectives?|goals?|designed to|intended to|seeks? to|in order to|so that)\b",
     re.IGNORECASE),
)
# The nouns naming the figure asked for, in the three places they ask ("what share",
# "the volume of", "stats"): the slot of a counting question.
_WHAT_COUNTS = ("share", "proportion", "percentage", "number", "fraction", "total")
_COUNTS_OF = (*_WHAT_COUNTS, "volume", "amount", "tally", "count", "quantity")  # "share of", as "what share"
_COUNTS = ("numbers", "statistics", "stats", "totals", "total")
# "How many", "how often", "what share", and a count asked for by name ("the
# number of referrals", "the volume of referrals", "share of cases", "Channel
# numbers", "#stats"), not "a number of" (several): a figure answers it.
_COUNTING = re.compile(
    rf"\bhow (?:many|much|often|big|large|busy|frequent(?:ly)?)\b|\bwhat (?:{'|'.join(_WHAT_COUNTS)})\b"
    rf"|(?<!\ba )\b(?:{'|'.join(_COUNTS_OF)}) of\b|\b(?:{'|'.join(_COUNTS)})\b",
    re.IGNORECASE,
)
# "Which regions", "what year", "which minister": a noun after "what" or
# "which" that names the kind of answer, as "where", "when" or "who" would.
_ANSWER_NOUNS = re.compile(
    r"\b(?:what|which) (?:(?:\w+ ){0,2}?)"
    r"(?:(?P<where>regions?|areas?|cit(?:y|ies)|towns?|countr(?:y|ies)|places?|locations?|boroughs?|parts of the country)"
    r"|(?P<when>years?|dates?|months?|day)"
    r"|(?P<who>person|minister|secretary|officials?|organi[sz]ations?|bod(?:y|ies)|agenc(?:y|ies)|departments?))\b",
    re.IGNORECASE,
)
# "Start date of the DDP", "year councils got a legal duty": with no
# question word, a noun naming a date asks "when", unless it counts or frames
# ("a year", "each year", "last year", "to date", "ten year old").
_DATE_NOUNS = re.compile(
    r"(?<!\bto )(?<!\ba )(?<!\ban )(?<!\bper )(?<!\beach )(?<!\bevery )(?<!\bthis )(?<!\blast )(?<!\bnext )(?<!\bcurrent )"
    r"\b(?:years?|dates?)\b(?![- ]old)",
    re.IGNORECASE,
)
# "MAC trial regions", "pilot areas": with no question word, a noun naming
# places asks "where". Only plurals: "this country", "take place" and "an
# area of work" name no place asked for.
_PLACE_NOUNS = re.compile(r"\b(?:regions|areas|cities|towns|countries|places|locations|sites)\b", re.IGNORECASE)
_FIGURE_NOUNS = frozenset([*_WHAT_COUNTS, *_COUNTS_OF, *_COUNTS])
_WANTED = {"purpose": "purpose", "when": "date", "who": "name", "agent": "agent", "where": "place", "why": "reason", "count": "figure"}
# After "who", the words that ask who someone is or whom a thing is for, not
# who does it ("who is the MAC aimed at", "who does the DDP support", "who gets").
_NOT_DOING = frozenset(["is", "are", "was", "were", "am", "be", "isn't", "aren't", "do", "does", "did", "get", "gets",
                        "can", "could", "should", "would", "will", "may", "might", "must", "has", "have", "else"])
_MARKS = "?!.,;:\"'()"  # around a question's words, not part of them
_CONTRACTED = re.compile(r"['’](?:s|re|d|ll|ve)$")
_QUESTION_WORDS = frozenset(["what", "which", "how", "when", "who", "whom", "whose", "where", "why"])


class Intent:
    """The preferences a question implies (see the module doc)."""

    __slots__ = ("counted", "defines", "plainly", "slot", "wants")

    def __init__(self, defines: str | None = None, wants: str | None = None, counted: frozenset[str] = frozenset(),
                 slot: str | None = None, plainly: bool = False) -> None:
        self.defines = defines
        # Whether the question asks what the term is, not its aims, role or
        # purpose ("what is Prevent", "Prevent"; not "the aims of Prevent").
        self.plainly = plainly
        self.wants = wants
        self.counted = counted
        # The noun that names the kind of answer ("year" in "which year"): a
        # passage holding what it names answers it without the word.
        self.slot = slot

    def opens_with_definition(self, text: str) -> bool:
        """Whether TEXT opens by saying what the term asked about is ("CONTEST
        is a national strategy", "The Multi-Agency Centre (MAC) works ...")."""
        if not self.defines:
            return False
        opening = text[: len(self.defines) + OPENING_CHARS]
        return self.defines.lower() in opening[:OPENING_CHARS].lower() and _defines(opening, self.defines)

    def reads(self, holds: Iterable[str]) -> bool:
        """Whether the preference for a passage that HOLDS these features (see
        features) depends on its text too (see text_factor)."""
        return bool(self.defines or (self.counted and "figure" in holds))

    @property
    def prefers(self) -> bool:
        """Whether the question prefers some passages for what they say."""
        return bool(self.defines or self.wants)

    @property
    def wanted(self) -> str | None:
        """What a passage that answers holds (see features), if anything."""
        return _WANTED.get(self.wants or "")

    def factor(self, text: str, holds: Iterable[str] | None = None) -> float:
        """How much to prefer a passage of TEXT for this question; HOLDS, when
        given, is what the passage holds (features of TEXT, read from the
        index)."""
        holds = features(text) if holds is None else holds
        return self.held_factor(holds) * self.text_factor(text, holds)

    def held_factor(self, holds: Iterable[str]) -> float:
        """The preference for a passage that HOLDS these features: what the
        index tells, without its text."""
        return INTENT_PREFERENCE if self.wanted and self.wanted in holds else 1.0

    def text_factor(self, text: str, holds: Iterable[str]) -> float:
        """What the TEXT of a passage that HOLDS these features adds to its
        held_factor: a definition of the term asked about, or a figure next
        to what the question counts (in place of any figure)."""
        out = 1.0
        if self.defines and _defines(text, self.defines):
            out *= DEFINITION_PREFERENCE
        if self.counted and "figure" in holds and _counts(text, self.counted):
            out *= COUNTED_PREFERENCE / INTENT_PREFERENCE
        return out


def features(text: str) -> list[str]:
    """What TEXT holds of what a question may ask for: a date, a name, an
    agent, a place, a figure, a reason or a purpose. Indexed with each
    paragraph (the ``holds`` field)."""
    return [name for name, pattern in _features() if pattern.search(text)]


@lru_cache(maxsize=1)
def _features() -> list[tuple[str, re.Pattern[str]]]:
    # Compiled when first used: indexing needs them, a search reads the index.
    return [(name, re.compile(pattern, flags)) for name, pattern, flags in _FEATURE_PATTERNS]


def _defines(text: str, term: str) -> bool:
    """Whether TEXT spells out or defines TERM: "(TERM)" after words, "TERM
    (ABBREVIATION)", "TERM is/are/means/consists of" / "The TERM is", "known
    as TERM", or "the TERM programme. This consists of". Blanks and
    hyphens between words are one separator ("Multi Agency Centre" is the
    "Multi-Agency Centre"), quotation marks are ignored, TERM's words are
    read in their British spelling ("Center" as "Centre"), and an acronym
    in capitals matches only in capitals."""
    # Plain string searches, not patterns made for each term: compiling them
    # cost more than a search of a small corpus. Each look is a bounded window,
    # so a huge paragraph stays linear.
    joined = _SEPARATORS.sub(" ", _QUOTES.sub("", text))
    needle = _SEPARATORS.sub(" ", _QUOTES.sub("", term.strip()))
    haystack = joined
    if not term.isupper():
        # The question may be spelt the American way ("Multi-Agency Center").
        needle = _LETTERS.sub(lambda m: british(m.group(0)), needle.lower())
        lowered = joined.lower()
        haystack = lowered if len(lowered) == len(joined) else joined
    if not needle:
        return False
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        before = haystack[max(0, at - 81) : at]
        if before.rstrip().endswith("(") and haystack[end : end + 3].lstrip().startswith(")") and _WORD.search(before):
            return True
        whole = (at == 0 or not haystack[at - 1].isalnum()) and (end == len(haystack) or not haystack[end].isalnum())
        if whole and _ABBREVIATION.match(joined, end):
            return True
        if whole and _SAID.match(joined, end):
            start = at - 4 if joined[max(0, at - 4) : at].lower() == "the " else at
            if start == 0 or joined[max(0, start - 2) : start] in (". ", ": "):
                return True
        if whole and (_THEN_SAID.match(joined, end) or _APPOSITION.match(joined, end) or before.lower().endswith(_NAMING)):
            return True
        at = haystack.find(needle, at + 1)
    return False


_SEPARATORS = re.compile(r"[\s\-‐‑]+")
_QUOTES = re.compile(r"[‘’“”\"]|(?<!\w)'|'(?!\w)")
_LETTERS = re.compile(r"[a-z]+")
_WORD = re.compile(r"\w")
_ABBREVIATION = re.compile(r" \([A-Z][A-Za-z0-9]{1,9}\)")
_SAID = re.compile(r" (?:is|are|means|was|consists of|comprises|refers to)\b", re.IGNORECASE)
# "... through the 'Channel' programme. This consists of ...": a sentence
# ending with the term (and a word such as "programme"), the next saying what it is.
_THEN_SAID = re.compile(r"[’'\"]?(?: [a-z]+)?[’'\"]?\. (?:This|It) (?:is|consists|comprises|involves|brings|means)\b")
_NAMING = ("known as ", "called ", "named ")
# "the Prevent programme – the preventative arm of ...": a description set
# off by a dash after the term.
_APPOSITION = re.compile(r"(?: [a-z]+)? [–—] (?:the|a|an) ")


_COMPARISONS = [
    r"^(?:what(?:'s| is| are) )?(?:the )?differences? between (?P<a>.+?) and (?P<b>.+)$",
    r"^(?:compare|contrast) (?P<a>.+?) (?:and|with|to) (?P<b>.+)$",
    # "Is the threat the same as last year" asks about one thing at two times: there are no two sides.
    r"^(?:is|are|was|were) (?P<a>.+?) (?:the same (?:thing )?as|different (?:from|to)) (?!(?:(?:the )?(?:last|this|next|previous)|in|before)\b|\d)(?P<b>.+)$",
    r"^(?:how (?:does|do|is|are) )?(?P<a>.+?) (?:differ|different|differs) from (?P<b>.+)$",
    r"^(?P<a>.+?) (?:versus|vs\.?|v\.|compared (?:with|to)|as against) (?P<b>.+)$",
    r"^how (?:do|does|did) (?P<a>.+?) and (?P<b>.+?) differ$",
    r"^how (?:is|are|was|were) (?P<a>.+?) unlike (?P<b>.+)$",
    r"^how (?:can|do|would|could|should) (?:i|you|we|one|people) (?:tell|distinguish) (?P<a>.+?) (?:apart )?(?:from|and) (?P<b>.+)$",
    r"^what (?:separates|distinguishes|divides|sets apart) (?P<a>.+?) (?:from|and) (?P<b>.+)$",
    r"^what sets (?P<a>.+?) apart from (?P<b>.+)$",
    (r"^(?P<a>.+?)\s*(?: and | or |/)\s*(?P<b>.+?)(?:\W+what(?:'s|’s| is) the difference| differences?| comparison| compared"
     r"|\W+how (?:do|does|did|are|is) (?:they|the two|both|these|those) (?:differ|compare|different)"
     r"|\W+what (?:separates|distinguishes|divides) (?:them|the two|these|those)|\W+what sets (?:them|the two|these|those) apart)$"),
]
COMPARISON_LONGEST = 400  # characters of a question read for the two sides of a comparison
_COMPARING = ("between", "compar", "contrast", "differ", "versus", "vs", "v.", "against", "same", "unlike", "tell", "distinguish", "separat", "divides", "apart")


@lru_cache(maxsize=1)
def _comparisons() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in _COMPARISONS]


def comparison(typed: str) -> tuple[str, str] | None:
    """The two sides of a question that compares (see the module doc), or None."""
    match = _comparing(" ".join(typed.split()))
    return (match.group("a").strip(), match.group("b").strip()) if match else None


# Where a side's own term ends and what it is asked about begins ("Prevent
# | in what CTP contributes", "how much of the MI5 caseload is | Islamist").
_CONTEXT_BREAK = re.compile(r"[:;,–—]|\b(?:in|within|with|for|at|on|across|among|amongst|by|is|are|was|were)\b", re.IGNORECASE)
_CONTEXT_MORE = 2  # searched words one side has beyond the other before it is read for a context
_CONTEXT_LEAST = 2  # searched words in a context: one ("... for terrorism") qualifies the term


def compared_terms(a: str, b: str) -> tuple[str, str, str]:
    """The terms compared, and what they are compared on, from a comparison's
    two sides A and B: "how Pursue" and "Prevent in what CTP contributes"
    compare "Pursue" with "Prevent" on "what CTP contributes". A side
    holding two or more searched words beyond the other's holds a context
    for both, set off from its term (next to the comparing words) by a
    comma, colon or dash, a preposition or "is"; context "" when none is."""
    count_a, count_b = len(_searched_words(a)), len(_searched_words(b))
    if count_a >= count_b + _CONTEXT_MORE:
        split = _term_and_context(a, term_last=True)
        if split:
            return split[0], b, split[1]
    elif count_b >= count_a + _CONTEXT_MORE:
        split = _term_and_context(b, term_last=False)
        if split:
            return a, split[0], split[1]
    return a, b, ""


def _term_and_context(side: str, term_last: bool) -> tuple[str, str] | None:
    """SIDE's term and the context set off from it at the break nearest the
    comparing words (its last break when the term ends SIDE, TERM_LAST), or
    None when there is no break, no searched word in the term or too few in
    the context."""
    breaks = list(_CONTEXT_BREAK.finditer(side))
    if not breaks:
        return None
    cut = breaks[-1] if term_last else breaks[0]
    before, after = side[: cut.start()], side[cut.end() :]
    term, context = (after, before) if term_last else (before, after)
    if not _searched_words(term) or len(_searched_words(context)) < _CONTEXT_LEAST:
        return None
    return term.strip(), context.strip()


def named_only_in_a_list(terms: Iterable[str], text: str) -> bool:
    """Whether TEXT names two TERMS compared, of one searched word each,
    only side by side in a list of single words ("four missions – Protect,
    Prepare, Pursue and Prevent", "notably Prevent and Pursue"): it names
    both and says what neither is."""
    words = [_searched_words(term) for term in terms]
    if len(words) != 2 or any(len(w) != 1 for w in words):
        return False
    a, b = (re.escape(w[0]) for w in words)
    between = r"(?:(?:,|,? and|,? or) [\w’'-]+){0,4}?(?:,|,? and|,? or) "
    rest = re.sub(rf"\b(?:{a}\b{between}{b}|{b}\b{between}{a})\b", " ", text, flags=re.IGNORECASE)
    return rest != text and not re.search(rf"\b(?:{a}|{b})\b", rest, re.IGNORECASE)


def _searched_words(text: str) -> list[str]:
    """The words of TEXT that are searched, as typed."""
    return [word for word in TOKEN.findall(text) if is_searched(normalise_word(word)[0])]


def without_comparing(typed: str) -> str:
    """TYPED with the words that frame a comparison ("how is", "different
    from", "versus") blanked out in place, character for character: they say
    how to answer, not what about ("different" would find "different
    elements"). TYPED as it is when it does not compare."""
    match = _comparing(typed)
    if match is None:
        return typed
    (a_start, a_end), (b_start, b_end) = match.span("a"), match.span("b")
    blank = "".join(" " if c.strip() else c for c in typed)
    return blank[:a_start] + typed[a_start:a_end] + blank[a_end:b_start] + typed[b_start:b_end] + blank[b_end:]


def _comparing(text: str) -> re.Match[str] | None:
    """The match of a comparing pattern on TEXT (its closing marks aside)
    with two sides that are not blank, or None."""
    text = text.rstrip("?!. ")
    lowered = text.lower()
    # A comparison is put in a sentence; reading a long text for its two sides would take time as its square.
    if len(text) > COMPARISON_LONGEST or not any(word in lowered for word in _COMPARING):
        return None
    for pattern in _comparisons():
        match = pattern.match(text)
        if match and match.group("a").strip() and match.group("b").strip():
            return match
    return None


def _counts(text: str, counted: frozenset[str]) -> bool:
    """Whether TEXT holds a figure within COUNTED_WITHIN words of one of the
    stems COUNTED ("800 live investigations", "the lives of 36 people")."""
    words = [normalise_word(w)[0] for w in TOKEN.findall(text)]
    figures = [k for k, word in enumerate(words) if word[:1].isdigit() or word in _FIGURE_WORDS]
    if not figures:
        return False
    initials = {stem[:1] for stem in counted}
    # A stem keeps its word's first letter: only those words are stemmed.
    places = [k for k, word in enumerate(words) if word[:1] in initials and stem_word(word) in counted]
    return any(abs(f - k) <= COUNTED_WITHIN for f in figures for k in places)


_FIGURE_WORDS = frozenset([*_NUMBERS, "dozen", "hundred", "thousand", "thousands", "hundreds", "million", "third", "quarter", "half"])
_COUNTED_WORDS = 3


def _counted(typed: str) -> frozenset[str]:
    """The stems of what a counting question counts: its searched words just
    after "how many", "what share of", ... ("how many live investigations")."""
    match = _COUNTING.search(typed)
    if not match:
        return frozenset()
    stems = set()
    for word in TOKEN.findall(typed, match.end())[:_COUNTED_WORDS + 1]:
        key = normalise_word(word)[0]
        if key == "of" or not is_searched(key):
            continue
        stem = stem_word(key)
        if stem:
            stems.add(stem)
        if len(stems) >= _COUNTED_WORDS:
            break
    return frozenset(stems)


def intent_of(typed: str, content_words: list[str]) -> Intent:
    """The intent of a question TYPED, whose words that are searched are CONTENT_WORDS."""
    # The first question word decides, wherever a frame puts it ("according
    # to London Councils, why ...", "since when ...").
    typed_words = [w.strip(_MARKS).lower() for w in typed.split()]
    words = [_CONTRACTED.sub("", w) for w in typed_words]  # "who's" is "who"
    at = next((i for i, w in enumerate(words) if w in _QUESTION_WORDS), None)
    asked = words[at] if at is not None else None
    wants = asked if asked in _WANTED else None
    if at is not None and asked in ("who", "whom") and _asks_who_does(typed_words, words, at):
        wants = "agent"
    if asked in ("what", "which") and not wants:
        # "What is the Multi-Agency Centre": a term alone in a frame asks what
        # it is, whatever nouns it holds.
        defines = _bare_term(typed, content_words)
        if defines:
            return _about_term(typed, defines)
        # "which regions", "what year", "which minister": the noun says what answers.
        kind = _ANSWER_NOUNS.search(typed)
        if kind and kind.lastgroup:
            # Only a date is read exactly; a name or a place is any capitalised
            # pair or "in the UK", too loose to stand in for "minister" or "countries".
            return Intent(wants=kind.lastgroup, slot=kind.group(kind.lastgroup) if kind.lastgroup == "when" else None)
    slot = None
    if not wants:
        counting = _COUNTING.search(typed)
        if counting:
            wants = "count"
            # "What share", "the number of", "stats": the noun names the
            # figure asked for, which a passage holding a figure answers.
            slot = next((w for w in _LETTERS.findall(counting.group().lower()) if w in _FIGURE_NOUNS), None)
    if not wants and not asked:
        dated = _DATE_NOUNS.search(typed)
        if dated:
            return Intent(wants="when", slot=dated.group().lower())
        if _PLACE_NOUNS.search(typed):
            return Intent(wants="where")
    # After "what" or "which" the term was looked for above.
    defines = _bare_term(typed, content_words) if not wants and asked not in ("what", "which") else None
    if defines:
        return _about_term(typed, defines)
    return Intent(None, wants, _counted(typed) if wants == "count" else frozenset(), slot)


def _asks_who_does(typed_words: list[str], words: list[str], at: int) -> bool:
    """Whether a question asks who does something ("who assesses referrals",
    "by whom was the review carried out"), which a body in plain words
    answers as well as a name. TYPED_WORDS are its words in lower case,
    WORDS the same with contractions dropped, and "who" or "whom" is word AT."""
    if words[at] == "whom":
        return at > 0 and words[at - 1] == "by"
    # "Who's" is "who is" (or "who has"): who someone is.
    return typed_words[at] == "who" and at + 1 < len(words) and words[at + 1] not in _NOT_DOING


def _about_term(typed: str, term: str) -> Intent:
    """The intent of a question TYPED about TERM alone: what it is ("what is
    the MAC"), what it is for ("what is the MAC for", "the aims of the DDP"),
    which a passage stating a purpose answers, or another side of it ("the
    role of CTP")."""
    flat = " ".join(typed.split())
    if _PURPOSE.search(flat.rstrip("?!. ")):
        return Intent(term, wants="purpose")
    return Intent(term, plainly=not _ASPECT.match(flat))


_TERM_JOINERS = frozenset(["of", "and", "the", "for", "on", "&"])
_TERM_MAX_WORDS = 4


# Frames that ask what a term is: "what is X", "tell me about X", "explain
# (what) X (is for)", "what does X mean", "the purpose of X", "X definition".
# The first of them (_ASPECT_FRAME) asks about one side of the term (its
# aims, role, purpose), not plainly what it is.
_POLITE = r"^(?:(?:so|ok|okay|please|can you|could you)[, ]+)*"
_ASPECT_FRAME = (r"(?:what(?:'s|’s| is| are| was| were) )?(?:the )?"
                 r"(?:purpose|point|job|aims?|roles?|remit|functions?|responsibilit(?:y|ies)|mandate|tasks?|duties|mission|objectives?|goals?) of")
_DEFINING = re.compile(
    _POLITE + r"(?:" + _ASPECT_FRAME + r"|"
    r"what(?:'s|’s| is| are| was| were)(?: meant by)?|what does|what do|define|(?:explain|describe)(?: what)?|"
    r"tell me (?:about|what)|(?:the )?(?:meaning|definition) of|info(?:rmation)? (?:on|about)|overview of)\s+",
    re.IGNORECASE,
)
_PURPOSE = re.compile(r"\b(?:purpose|point|aims?|objectives?|goals?) of\b|(?:\b(?:is|are|was|were)|['’]s)\s.+\bfor$", re.IGNORECASE)
_ASPECT = re.compile(_POLITE + _ASPECT_FRAME + r"\s", re.IGNORECASE)
_DEFINED = re.compile(
    r"\s+(?:(?:mean|means|stand for|stands for|meaning|definition|explained|(?:(?:is|are) )?(?:for|about)|is|are|do|does)"
    # "the MAC is what", "CTIRU stands for what" (read without its "stands
    # for"), "explain the MAC to me", "the MAC - what's that"
    r"(?: what)?|what|(?:to|for) (?:me|us)|what(?:'s|’s| is) (?:that|it|this|that about))$",
    re.IGNORECASE,
)


def _bare_term(typed: str, content_words: list[str]) -> str | None:
    """The term a question of a term alone asks about ("DDP", "the Channel
    programme", "subjects of interest", "what is the MAC", "tell me about
    Channel"), or None: every word of the question, less a frame asking what
    it is, is searched, or joins the term's words ("of", "and", ...)."""
    typed = " ".join(w for w in typed.split() if w.strip(_MARKS).lower() not in FILLER_WORDS).rstrip("?!. ")
    typed = _DEFINED.sub("", _DEFINING.sub("", typed, count=1), count=1)
    words = [w.strip(_MARKS) for w in typed.split()]
    words = [w for w in words if w]
    if words and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    if not words or len(words) > _TERM_MAX_WORDS or not content_words:
        return None
    searched = {w.lower() for w in content_words}
    if words[0].lower() in _TERM_JOINERS or words[-1].lower() in _TERM_JOINERS:
        return None
    if len(words) == 1 or all(w.lower() in searched or w.lower() in _TERM_JOINERS for w in words):
        return " ".join(words)
    return None
