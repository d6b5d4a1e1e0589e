"""Search text: the folded index copy, query parsing into safe FTS5 syntax, highlight spans."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui_news.text import fold

# Token characters as FTS5's unicode61 tokenizer sees them: letters and digits; `_` and every
# other punctuation or symbol separate tokens.
_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"?')  # an unclosed quote runs to the end of the query

# Long pasted queries would make FTS5 intersect thousands of terms; the first words are enough.
MAX_QUERY_CHARS = 500
MAX_TERMS = 24
PREFIX_MIN = 3  # a word of this many letters or more also matches longer words


@dataclass(frozen=True)
class Term:
    """One query term: a word or a phrase, as folded tokens and as typed (casefolded NFC)."""

    folded: tuple[str, ...]
    typed: tuple[str, ...]
    phrase: bool

    @property
    def prefix(self) -> bool:
        """A lone word of three letters or more matches as a prefix."""
        return not self.phrase and len(self.folded[0]) >= PREFIX_MIN

    @property
    def accented(self) -> bool:
        """True when the term as typed carries marks (or đ), so an exact match means more."""
        return self.folded != self.typed


# Characters that SQLite's tokenizer (unicode61 remove_diacritics 2, the folded index's) folds
# into exactly the tokens fold() gives: ASCII, every Vietnamese letter, the rest of Latin-1,
# Latin Extended-A/B and Extended Additional but the few listed out (ß, ŉ, ǡ, ǣ, ǯ, ǽ, ǿ, ẚ, ẞ),
# general punctuation and currency signs. tests/test_search.py checks each against SQLite.
_TOKENIZER_FOLDS = re.compile(
    r"[^\x00-\xde\xe0-\u0148\u014a-\u01df\u01e4-\u01ed\u01f0-\u01fb\u0200-\u024f"
    r"\u1e00-\u1e99\u1e9b-\u1e9d\u1e9f-\u1eff\u2000-\u206f\u20a0-\u20bf]")


# The same for the unfolded index (unicode61 remove_diacritics 0) against Python's casefold and
# word split (what the query side uses): the set above without the letters whose casefold is two
# characters (İ, ǰ, ẖ…ẙ), the invisible U+2065-U+2069 and the currency signs from ₺ on.
_TOKENIZER_SPLITS = re.compile(
    r"[^\x00-\xde\xe0-\u012f\u0131-\u0148\u014a-\u01df\u01e4-\u01ed\u01f1-\u01fb"
    r"\u0200-\u024f\u1e00-\u1e95\u1e9b-\u1e9d\u1e9f-\u1eff\u2000-\u2064\u206a-\u206f"
    r"\u20a0-\u20b9]")


def index_text(text: str) -> str:
    """The folded copy of `text` that the FTS5 index holds (its tokens are those of fold(text)).

    For Vietnamese the tokenizer drops the marks itself and only đ is left to us: a fifth of
    the cost of folding in Python, paid on every article a refresh stores.
    """
    if _TOKENIZER_FOLDS.search(text) is None:
        return text.replace("đ", "d").replace("Đ", "D")
    return fold(text)


def plain_text(*parts: str) -> str:
    """The unfolded copy that ranks exact (accented) hits: casefolded NFC words, space-separated.

    For text in a checked set (_TOKENIZER_SPLITS) the tokenizer (unicode61 remove_diacritics 0)
    splits and casefolds exactly like this, so the parts go in as they are, one a line. Outside
    it (emoji glued to a word, ß, final sigma, letters newer than SQLite's tables) Python does
    it, as the query side does.
    """
    return _exact_text(unicodedata.normalize("NFC", "\n".join(parts)))


def _exact_text(text: str) -> str:
    if _TOKENIZER_SPLITS.search(text) is None:
        return text
    return " ".join(_WORD.findall(text.casefold()))


def entry_search_text(title: str, summary: str) -> tuple[str, str, str]:
    """What the two search indexes hold for an article: folded title, folded summary, and the
    unfolded words of both. Title and summary are clean, so already NFC."""
    return index_text(title), index_text(summary), _exact_text(f"{title}\n{summary}")


def _typed_tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def _term(text: str, *, phrase: bool) -> Term | None:
    typed: list[str] = []
    folded: list[str] = []
    for word in _typed_tokens(text):
        # Folding can split a token (a letter whose marks were joiners); keep both in step.
        parts = _WORD.findall(fold(word))
        if len(parts) == 1:
            typed.append(word)
            folded.append(parts[0])
        else:
            typed.extend(parts)
            folded.extend(parts)
    if not folded:
        return None
    # Quoted text is matched as written (no prefix); several tokens always form a phrase.
    return Term(tuple(folded), tuple(typed), phrase=phrase or len(folded) > 1)


def parse_query(query: str | None) -> list[Term]:
    """Split a user query into terms: `"quoted phrases"` and words, all ANDed.

    Returns an empty list when nothing searchable is left (empty, only marks or symbols).
    """
    if not query:
        return []
    query = query[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    rest: list[str] = []
    last = 0
    for m in _PHRASE.finditer(query):
        rest.append(query[last : m.start()])
        last = m.end()
        term = _term(m.group(1), phrase=True)
        if term is not None:
            terms.append(term)
    rest.append(query[last:])
    for chunk in rest:
        for word in _typed_tokens(chunk):
            term = _term(word, phrase=False)
            if term is not None:
                terms.append(term)
    seen: set[tuple[tuple[str, ...], bool, tuple[str, ...]]] = set()
    unique = []
    for term in terms:
        key = (term.folded, term.phrase, term.typed)
        if key not in seen:
            seen.add(key)
            unique.append(term)
    return unique[:MAX_TERMS]


def fts_expression(terms: list[Term]) -> str:
    """An FTS5 MATCH expression for `terms`: every token quoted, so no operator gets through."""
    parts = []
    for term in terms:
        # Tokens are letters and digits only, but double any quote anyway: never trust a regex.
        quoted = '"' + " ".join(t.replace('"', '""') for t in term.folded) + '"'
        parts.append(quoted + "*" if term.prefix else quoted)
    return " AND ".join(parts)


def adjacent_expression(terms: list[Term]) -> str | None:
    """The loose words of a query as one phrase, to rank "Hà Nội" above "Hà Giang … Nội Bài".

    Vietnamese words are often two or three syllables, each its own token; None for one word.
    """
    words = [t for t in terms if not t.phrase]
    if len(words) < 2:
        return None
    phrase = '"' + " ".join(t.folded[0].replace('"', '""') for t in words) + '"'
    return phrase + "*" if words[-1].prefix else phrase


def exact_expression(terms: list[Term]) -> str | None:
    """FTS5 expression over the unfolded index: every accented term as typed, as whole words
    (None if none): "hoà" is not "hoàng". A prefix there (that index has no prefix indexes)
    would merge every word it starts in memory: 25–70 ms at 1,000,000 articles.

    One expression rather than one per term: each extra IN (…) set cost ~10 ms at 100,000.
    """
    parts = []
    for term in terms:
        if term.accented:
            parts.append('"' + " ".join(t.replace('"', '""') for t in term.typed) + '"')
    return " AND ".join(parts) or None


def title_expression(terms: list[Term]) -> str:
    """The query's expression over the title column only: a title hit ranks first."""
    return "title : (" + fts_expression(terms) + ")"


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` one character at a time, remembering which original index each char came from.

    Folding is context-free (NFD per character, marks dropped, casefold), so this equals fold(text).
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = fold(ch)
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of `text` that match the words of `query`, compared folded.

    Sorted and merged; for the UI to style plain text without markup.
    """
    terms = parse_query(query)
    if not terms or not text:
        return []
    folded, where = _folded_with_map(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    spans: list[tuple[int, int]] = []
    for term in terms:
        n = len(term.folded)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            words = tuple(w for _, _, w in window)
            hit = words[0].startswith(term.folded[0]) if term.prefix else words == term.folded
            if not hit:
                continue
            start = where[window[0][0]]
            # A prefix lights up only the letters typed, not the rest of the word.
            last = window[0][0] + len(term.folded[0]) if term.prefix else window[-1][1]
            end = where[last - 1] + 1
            # An NFD text keeps marks after the base letter: include them in the span.
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
