"""How a search query meets names: folded, split into words, matched word by word.

Both sides are folded the same way first (`fold`): accents and case go ("leon" finds "Léon"),
apostrophes close up ("schindlers"), and on SQLite the roman numerals of sequels read as
digits ("godfather 2" finds "Part II"). A query's four-digit years are filters, not words
(`query_words`: "matrix 1999"), unless the query is nothing but a year ("1917").

On SQLite, `NameIndex` matches each query word against the words of every name with
rapidfuzz, so word order does not matter ("fellowship ring", "godfather the"); a run of words
matched as one phrase catches typos across a word boundary ("tom hanx"). PostgreSQL does the
same with pg_trgm over `marquee_fold(...)` (unaccent + lower, GIN-indexed by a migration).
Either way a name gets two numbers: `match`, how well the query's words were found (what the
relevance threshold in catalog/search.py looks at), and `score`, which adds a share for how
close the whole name is to the query, so "The Godfather" ranks above "The Godfather Part II".
"""

import bisect
import math
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process, utils

STOP_WORDS = frozenset({"the", "a", "an", "of", "and"})  # may be missing from a matching name
ROMAN_NUMERALS = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8"}
YEAR_RANGE = range(1870, 2101)  # the years SearchForm accepts
WHOLE_NAME_SHARE = 0.1  # of a score, the rest being the word match; breaks ties of equal matches
PREFIX_MATCH = 0.9  # the last word typed as the start of a name's word ("godf")
PHRASE_CUTOFF = 80  # rapidfuzz ratio (0-100) of a run of words against the query as a phrase
MAX_WINDOW = 4  # longest run of words matched as a phrase


def fold(text: str, *, numerals: bool = True) -> str:
    """Lower case, no accents, words of letters and digits separated by single spaces; with
    `numerals`, "ii" to "viii" as digits (PostgreSQL's marquee_fold leaves them)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("'", "").replace("\u2019", "")
    words = utils.default_process(bare).split()
    if not numerals:
        return " ".join(words)
    return " ".join(ROMAN_NUMERALS.get(word, word) for word in words)


def word_cutoff(word: str) -> float:
    """How close (rapidfuzz ratio) a name's word must be to a query word: about one typo in
    four or five letters, two in longer words; short words must be exact."""
    if len(word) <= 3:
        return 100
    if len(word) <= 5:
        return 75
    # Six or seven letters: one typo, not two ("bojack" is not "jack"; "batmen" is "batman").
    return 83 if len(word) <= 7 else 80


@dataclass(frozen=True)
class QueryWords:
    words: list[str]  # folded, years taken out
    years: list[int]  # filters: a match must be from one of these years or name it

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def significant(self) -> list[str]:
        """The words a name must contain; stop words only when there is nothing else."""
        return [w for w in self.words if w not in STOP_WORDS] or self.words


def query_words(query: str, *, numerals: bool = True) -> QueryWords:
    words = fold(query, numerals=numerals).split()
    years = [int(w) for w in words if len(w) == 4 and w.isdigit() and int(w) in YEAR_RANGE]
    if not years or len(years) == len(words):
        return QueryWords(words, [])
    return QueryWords([w for w in words if not (w.isdigit() and int(w) in years)], years)


@dataclass(frozen=True)
class Hit:
    match: float  # 0..1: how well the query's words were found
    score: float  # 0..1: the match plus a share for the whole name; orders results


def words_needed(count: int) -> int:
    """Of `count` significant query words, how many a name must contain: all, or all but one
    from three words up (a long title half-remembered)."""
    return count - 1 if count >= 3 else count


class _Texts:
    """Strings grouped by length, so that a query is compared only with the lengths that could
    reach the cutoff (rapidfuzz's ratio is at most 2 * shorter / (sum of the lengths))."""

    def __init__(self, texts: list[str]):
        self.groups: dict[int, tuple[list[str], list[int]]] = {}
        for position, text in enumerate(texts):
            texts_of_length, positions = self.groups.setdefault(len(text), ([], []))
            texts_of_length.append(text)
            positions.append(position)

    def matches(self, query: str, cutoff: float):
        """(position in the original list, similarity 0..1) of every text at or above cutoff."""
        share, size = cutoff / 100, len(query)
        low = math.ceil(size * share / (2 - share) - 1e-9)
        high = math.floor(size * (2 - share) / share + 1e-9)
        for length in range(low, high + 1):
            if length not in self.groups:
                continue
            texts, positions = self.groups[length]
            found = process.extract(
                query, texts, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            )
            for _, similarity, index in found:
                yield positions[index], similarity / 100


class NameIndex:
    """Folded names (several per owner: a title and its original title) as a vocabulary of
    words, each pointing at its owners, and runs of words for phrase matching."""

    def __init__(self, rows):
        self.names: dict[int, list[str]] = {}
        owners_of: dict[str, set[int]] = {}
        self.windows: dict[int, tuple[list[str], list[int]]] = {
            n: ([], []) for n in range(2, MAX_WINDOW + 1)
        }
        for owner, name in rows:
            folded = fold(name or "")
            if not folded:
                continue
            self.names.setdefault(owner, []).append(folded)
            words = folded.split()
            # Neighbouring words closed up too: "spiderman" finds Spider-Man, "et" E.T.
            compounds = [a + b for a, b in pairwise(words)]
            for word in words + compounds:
                owners_of.setdefault(word, set()).add(owner)
            for size in range(2, min(len(words), MAX_WINDOW) + 1):
                texts, owners = self.windows[size]
                for start in range(len(words) - size + 1):
                    texts.append(" ".join(words[start : start + size]))
                    owners.append(owner)
        self.vocabulary = sorted(owners_of)
        self.owners_of = [sorted(owners_of[word]) for word in self.vocabulary]
        self._words = _Texts(self.vocabulary)
        self._windows = {size: _Texts(texts) for size, (texts, _) in self.windows.items()}

    def _word_scores(self, word: str, *, prefix: bool) -> dict[int, float]:
        """owner -> best score (0..1) of `word` against the owner's words."""
        found: dict[int, float] = {}
        for index, similarity in self._words.matches(word, word_cutoff(word)):
            for owner in self.owners_of[index]:
                found[owner] = max(found.get(owner, 0.0), similarity)
        if prefix and len(word) >= 2:
            start = bisect.bisect_left(self.vocabulary, word)
            for index in range(start, len(self.vocabulary)):
                if not self.vocabulary[index].startswith(word):
                    break
                for owner in self.owners_of[index]:
                    found[owner] = max(found.get(owner, 0.0), PREFIX_MATCH)
        return found

    def _phrase_scores(self, query: QueryWords) -> dict[int, float]:
        if len(query.words) < 2:
            return {}
        size = min(len(query.words), MAX_WINDOW)
        owners = self.windows[size][1]
        found: dict[int, float] = {}
        for index, similarity in self._windows[size].matches(query.phrase, PHRASE_CUTOFF):
            found[owners[index]] = max(found.get(owners[index], 0.0), similarity)
        return found

    def match(self, query: QueryWords) -> dict[int, Hit]:
        words = query.significant
        if not words:
            return {}
        per_word = [
            self._word_scores(word, prefix=position == len(words) - 1)
            for position, word in enumerate(words)
        ]
        needed = words_needed(len(words))
        matches: dict[int, float] = {}
        every_word = False
        for owner in set().union(*per_word):
            found = [scores[owner] for scores in per_word if owner in scores]
            if len(found) >= needed:
                matches[owner] = sum(found) / len(words)
                every_word = every_word or len(found) == len(words)
        if not every_word:  # a typo across words, or a word too mangled alone ("tom hanx")
            for owner, similarity in self._phrase_scores(query).items():
                matches[owner] = max(matches.get(owner, 0.0), similarity)
            if len(words) > 1:  # words that a name closes up ("di caprio", "star ship")
                for owner, similarity in self._word_scores("".join(words), prefix=False).items():
                    matches[owner] = max(matches.get(owner, 0.0), similarity)
        return {owner: self._hit(query, owner, m) for owner, m in matches.items()}

    def _hit(self, query: QueryWords, owner: int, match: float) -> Hit:
        whole = max(fuzz.token_sort_ratio(query.phrase, name) for name in self.names[owner]) / 100
        return Hit(match, match * (1 - WHOLE_NAME_SHARE) + whole * WHOLE_NAME_SHARE)
