"""Find glossary terms in Arabic text the way Arabic news writes them.

One pass over the text, whatever the size of the glossary: the text is normalized
(:mod:`tarjama.text.arabic`: diacritics, tatweel, hamza/alef, ة/ه, ى/ي), cut into word
tokens, each token is read as the glossary words it may stand for (:func:`readings`), and
a trie of the glossary's words is walked from every token. A term never matches inside a
longer word, and where matches overlap the longest one wins.

How a token may differ from a glossary word is a fixed set of named rules. Each is on by
default where noted; an entry switches one on or off with ``+RULE`` / ``-RULE`` in its
``rules`` column (:mod:`tarjama.glossary.model`).

- proclitics (always): و ف ب ل ك and their pairs before the term (وقسد، وبالحسكة), also
  detached before a quote (بـ"قسد"); with the article absorbed after ب ك (بالحسكة).
- ``lam``: ل before an article-initial term drops the alef: للحسكة, and for a word that
  begins with ل, two lams, not three: للجنة الدولية للصليب الأحمر. All entries.
- ``quotes``: quotes between the words of a term (قوات "سوريا الديمقراطية"، هيئة «تحرير
  الشام»). All entries.
- ``hashtag``: underscores between the words (#حزب_الله، #الولايات_المتحدة). All entries.
- ``spaceless``: two words written together where the join cannot be misread: before the
  article (ديرالزور) and after أبو أبي أبا عبد (أبوبكر البغدادي). All entries.
- ``article``: ال on every word of an indefinite term, all or none (الطائرات المسيرة, not
  الطائرات مسيرة). Forms of two or more words, none with the article.
- ``number``: the sound feminine plural and the dual of words written with ة (عبوة →
  عبوات، طائرتان، طائرتين). The same forms as ``article``. The English becomes the plural
  (the entry's ``plural`` column, else derived from the target).
- ``suffix``: a pronoun suffix after the ت of a ة or ات word (عبوتها، قواتها، طائرتيها),
  which cannot make another word of it; on the first word of a term, the words after it
  take the article (غاراتها الجوية). Forms whose last word has no article and ends in ة or ات.
- ``spelling``: the alternations of :data:`SPELLING` and :data:`PHRASES`, which news
  writes both ways (ديمقراطية/ديموقراطية، أمريكا/أميركا، دون/بدون/بلا طيار). All entries.
- ``tanwin``: a form written with tanwin fath (سورياً) is an accusative adjective or
  adverb, never the name: no match. Forms without the ``article`` rule.

- ``accusative``: the unwritten tanwin fath of an indefinite accusative (هجوما انتحاريا،
  وقفا لإطلاق النار). Forms of two or more words; ``number`` also reads their masculine
  duals (تفجيرين انتحاريين), every word in the dual.
- ``whole`` (off by default): inside a near spelling of this name, the terms it contains
  are never enforced on their own (``سوريا`` inside the SDF's name).

Context restrictions of an entry (``not-after``, ``before``, ``not-adjective`` ...) are
checked on each match. An entry with an ``adjective`` (سوريا → "Syrian") is enforced as the
adjective where its form stands as the nisba: with a written tanwin (سورياً), a one-word
name in يا right after an indefinite accusative noun (جنديا سوريا، طلبا روسيا), and where a
``not-adjective`` form qualifies a noun, follows a number, غير, an adjective and أو, or a
pronoun (لاجئة سورية، ميغ 17 سورية، غير سورية، روسية أو سورية، إنها سورية); an entry without
one is not matched there. Inside a longer name another entry almost matches
(:meth:`Matcher.scan`), the longer entry is taken when every word of it is there (one in a
near spelling of a word of four letters or more, no proclitic on the term); otherwise the
term is kept, as it is right on its own, unless the longer entry says ``+whole``: then it
is dropped and reported as a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text.arabic import is_dropped, normalize, normalize_with_map, TATWEEL
from .model import Context, Entry, Glossary
from .nisba import FUNCTION_WORDS as _FUNCTION_WORDS, could_be_qualified, is_accusative_noun, reads_as_adjective

# Characters that make up a word: a term must not touch one on either side.
_WORD = r"\u0621-\u063A\u0641-\u064A\u0660-\u0669\u0671-\u06D3\u06FA-\u06FFA-Za-z0-9"
_TOKEN = re.compile(rf"[{_WORD}]+")
_QUOTES = "\"'«»“”„‘’‹›"
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
# Tanwin fath: unvocalized news writes it on accusative adjectives and adverbs (سورياً،
# رسمياً), not on names; the other tanwins only appear in fully vocalized text.
_TANWIN = "\u064b"

# A proclitic standing alone before a quoted term: بـ"قسد" (tatweel is gone after normalizing).
_DETACHED_CLITIC = re.compile(
    rf"(?<![{_WORD}])(?P<c>[وف]?[بلك]|[وف]|[وف]?[بك]?ال|[وف]?لل)[{re.escape(_QUOTES)}]+$"
)

# Orthographic alternations, applied to normalized tokens of the text and of the glossary
# alike (the second spelling is the one kept). Substrings of a word:
SPELLING = (
    ("ديموقراط", "ديمقراط"),  # ديموقراطية / ديمقراطية
    ("اميرك", "امريك"),  # أميركا، الأميركية / أمريكا، الأمريكية
)
# Whole words, in front of a given next word:
PHRASES = (
    ("بدون", "طيار", "دون"),  # طائرة بدون طيار / دون طيار / بلا طيار
    ("بلا", "طيار", "دون"),
)

_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك")
_PRONOUNS = ("هما", "هم", "هن", "ها", "كما", "كم", "كن", "نا", "ه")
_KUNYA = {"ابو", "ابي", "ابا", "عبد"}
# Reading flags.
ARTICLE, LAM, PLURAL, DUAL, SUFFIX, ACCUSATIVE, MASCULINE_DUAL = 1, 2, 4, 8, 16, 32, 64


@dataclass(frozen=True)
class Match:
    """One occurrence of a glossary entry in a text.

    ``start``/``end`` delimit the term itself in the original text (end exclusive),
    without its proclitic and quotes; ``clitic_start`` is where an attached or detached
    proclitic begins (equal to ``start`` when there is none). ``number`` is ``"plural"``
    or ``"dual"`` when the Arabic is (then :attr:`target` is the English plural);
    ``rules`` names the matcher rules the match needed.
    """

    start: int
    end: int
    text: str
    entry: Entry
    clitic: str = ""
    clitic_start: int = -1
    number: str = ""
    rules: tuple[str, ...] = ()
    adjective: bool = False  # the country's nisba adjective (سورية in لاجئة سورية): "Syrian"

    @property
    def source(self) -> str:
        return self.entry.source

    @property
    def target(self) -> str:
        if self.adjective:
            return self.entry.adjective
        return self.entry.plural_target if self.number else self.entry.target

    def as_dict(self) -> dict:
        d = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "source": self.entry.source,
            "target": self.target,
        }
        if self.clitic:
            d["clitic"] = self.clitic
        if self.number:
            d["number"] = self.number
        if self.rules:
            d["rules"] = list(self.rules)
        if self.adjective:
            d["adjective"] = True
        return d


@dataclass(frozen=True)
class Note:
    """A glossary term deliberately not enforced, and why."""

    start: int
    end: int
    text: str
    entry: Entry
    message: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "source": self.entry.source, "note": self.message}


# -- reading tokens ----------------------------------------------------------------------
def respell(word: str) -> str:
    """``word`` (normalized) in the kept spelling of :data:`SPELLING`."""
    for old, new in SPELLING:
        if old in word:
            word = word.replace(old, new)
    return word


def _respell_words(words: list[str]) -> list[str]:
    out = [respell(w) for w in words]
    for k in range(len(out) - 1):
        for word, following, kept in PHRASES:
            if out[k] == word and out[k + 1] == following:
                out[k] = kept
    return out


def _inflections(stem: str, flags: int):
    """``stem`` itself, and the singular it may be the plural, dual or suffixed form of."""
    yield stem, flags
    n = len(stem)
    if n >= 4 and stem.endswith("ا") and not stem.endswith(("اا", "وا")) and not flags & ARTICLE:
        yield stem[:-1], flags | ACCUSATIVE  # هجوما انتحاريا: the unwritten tanwin fath
    if n >= 5 and stem.endswith(("ين", "ان")):
        yield stem[:-2], flags | MASCULINE_DUAL  # تفجيرين انتحاريين
    if n >= 4 and stem.endswith("ات"):
        yield stem[:-2] + "ه", flags | PLURAL
    if n >= 5 and stem.endswith(("تان", "تين")):
        yield stem[:-3] + "ه", flags | DUAL
    if flags & ARTICLE:
        return  # a word with the article takes no pronoun suffix
    for pronoun in _PRONOUNS:
        if stem.endswith(pronoun) and n - len(pronoun) >= 3:
            base = stem[: -len(pronoun)]
            if base.endswith("ات"):
                yield base, flags | SUFFIX
                yield base[:-2] + "ه", flags | SUFFIX | PLURAL
            elif base.endswith(("تا", "تي")):
                yield base[:-2] + "ه", flags | SUFFIX | DUAL
            elif base.endswith("ت"):
                yield base[:-1] + "ه", flags | SUFFIX


@lru_cache(maxsize=200_000)
def readings(token: str) -> tuple[tuple[str, int, int], ...]:
    """Every (glossary word, proclitic length, flags) a normalized token may stand for."""
    out: dict[tuple[str, int, int], None] = {}
    for clitic in _CLITICS:
        if clitic and (not token.startswith(clitic) or len(token) - len(clitic) < 2):
            continue
        c = len(clitic)
        rest = token[c:]
        for key, flags in _inflections(rest, 0):
            out[(key, c, flags)] = None
        if rest.startswith("ال") and len(rest) >= 4:
            for key, flags in _inflections(rest[2:], ARTICLE):
                out[(key, c, flags)] = None
        if clitic.endswith("ل") and rest.startswith("ل") and len(rest) >= 3:
            # ل + the article: its alef is dropped (للحسكة), and before a word that begins
            # with ل its lam too (للجنة = ل + اللجنة).
            for stem in (rest[1:], rest):
                out[("ال" + stem, c, LAM)] = None
                for key, flags in _inflections(stem, ARTICLE | LAM):
                    out[(key, c, flags)] = None
    return tuple(out)


def _gap_kind(gap: str) -> str | None:
    """What separates two tokens: "" (white space), "quotes", "hashtag", or None (a break)."""
    kind = ""
    for ch in gap:
        if ch.isspace() or ch in _ZERO_WIDTH:
            continue
        if ch in _QUOTES:
            kind = "quotes" if kind in ("", "quotes") else None
        elif ch in "_#":  # رجب طيب #أردوغان: a hashtag on a later word of the term
            kind = "hashtag" if kind in ("", "hashtag") else None
        else:
            return None
        if kind is None:
            return None
    return kind


# -- the glossary side --------------------------------------------------------------------
_ALWAYS = frozenset({"quotes", "hashtag", "spaceless", "lam", "spelling"})


@dataclass(eq=False)
class _Form:
    entry: Entry
    norm: str  # the form normalized (as context restrictions name it)
    words: tuple[str, ...]  # the trie path (respelled; joined words for a spaceless variant)
    ta_marbuta: tuple[bool, ...]  # written with ة: may take the plural/dual/suffix
    allowed: frozenset
    spaceless: bool = False
    context: tuple[Context, ...] = ()


def _allowed_rules(entry: Entry, words: list[str], ta: list[bool], last_original: str) -> frozenset:
    on = set(_ALWAYS)
    indefinite = not any(w.startswith("ال") for w in words)
    if indefinite and len(words) >= 2:
        on |= {"article", "number"}
    if not words[-1].startswith("ال") and (ta[-1] or last_original.endswith("ات")):
        on.add("suffix")
    if "article" not in on:
        on.add("tanwin")
    if len(words) >= 2:
        on.add("accusative")
    for rule in ("quotes", "hashtag", "spaceless", "lam", "article", "number", "suffix", "spelling", "tanwin", "accusative"):
        switch = entry.switch(rule)
        if switch is True:
            on.add(rule)
        elif switch is False:
            on.discard(rule)
    return frozenset(on)


def _compile_form(entry: Entry, form: str) -> list[_Form]:
    norm = normalize(form)
    words = _TOKEN.findall(norm)
    if not words:
        return []
    plain = "".join(ch for ch in form if not is_dropped(ch))
    originals = _TOKEN.findall(plain)
    if len(originals) != len(words):
        originals = words
    ta = [o.endswith("ة") for o in originals]
    allowed = _allowed_rules(entry, words, ta, originals[-1])
    context = tuple(c for c in entry.context if not c.form or c.form == norm)
    words = _respell_words(words)
    out = [_Form(entry, norm, tuple(words), tuple(ta), allowed, False, context)]
    if "spaceless" in allowed:
        joinable = [k for k in range(1, len(words)) if words[k].startswith("ال") or words[k - 1] in _KUNYA]
        for mask in range(1, 1 << min(len(joinable), 3)):
            joined, flags = [words[0]], [ta[0]]
            for k in range(1, len(words)):
                bit = joinable.index(k) if k in joinable else -1
                if 0 <= bit < 3 and mask >> bit & 1:
                    joined[-1] += words[k]
                    flags[-1] = ta[k]
                else:
                    joined.append(words[k])
                    flags.append(ta[k])
            out.append(_Form(entry, norm, tuple(joined), tuple(flags), allowed, True, context))
    return out


@dataclass
class _Candidate:
    first: int  # token range
    last: int
    clitic: int  # proclitic length in the first token
    form: _Form
    number: str
    rules: tuple[str, ...]
    adjective: bool = False

    def sort_key(self):
        chars = sum(len(w) for w in self.form.words)
        return (-(self.last - self.first), -chars, self.first, len(self.rules))


@dataclass
class _Text:
    """A text cut into normalized tokens, with what separates them."""

    original: str
    norm: str
    index: list[int]
    spans: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # respelled
    respelled: list[bool] = field(default_factory=list)
    gaps: list[str | None] = field(default_factory=list)  # gaps[k]: between token k and k+1

    @classmethod
    def of(cls, text: str) -> "_Text":
        norm, index = normalize_with_map(text)
        t = cls(text, norm, index)
        raw = []
        for m in _TOKEN.finditer(norm):
            t.spans.append(m.span())
            raw.append(m.group(0))
        t.tokens = _respell_words(raw)
        t.respelled = [a != b for a, b in zip(raw, t.tokens)]
        t.gaps = [_gap_kind(norm[t.spans[k][1] : t.spans[k + 1][0]]) for k in range(len(raw) - 1)]
        return t

    def neighbour(self, k: int) -> str | None:
        """Token ``k`` if it stands right next to the term (no punctuation between)."""
        if 0 <= k < len(self.tokens):
            return self.tokens[k]
        return None


class Matcher:
    """Every form of every entry of a glossary in one trie of normalized words."""

    def __init__(self, glossary: Glossary | list[Entry]):
        self.entries = list(glossary)
        self._trie: dict = {}
        self._containing: dict[str, list[tuple[_Form, int]]] = {}
        for entry in self.entries:
            for form in entry.forms:
                for f in _compile_form(entry, form):
                    node = self._trie
                    for w in f.words:
                        node = node.setdefault(w, {})
                    node.setdefault(None, []).append(f)
                    if not f.spaceless and len(f.words) >= 2:
                        for p, w in enumerate(f.words):
                            self._containing.setdefault(w, []).append((f, p))

    # -- finding ------------------------------------------------------------------------
    def find(self, text: str) -> list[Match]:
        return self.scan(text)[0]

    def scan(self, text: str) -> tuple[list[Match], list[Note]]:
        """The matches in ``text``, in order, and notes on terms deliberately left alone."""
        if not self.entries or not text:
            return [], []
        t = _Text.of(text)
        candidates: list[_Candidate] = []
        for k in range(len(t.tokens)):
            for key, clitic, flags in readings(t.tokens[k]):
                node = self._trie.get(key)
                if node is not None:
                    self._walk(t, k, k, node, [(clitic, flags)], set(), candidates)
        # Longest first, then leftmost, then the one that needed fewest rules; each token
        # belongs to one match at most, so choosing is linear in the candidates.
        candidates.sort(key=_Candidate.sort_key)
        owner: list[_Candidate | None] = [None] * len(t.tokens)
        chosen: list[_Candidate] = []
        for c in candidates:
            if any(owner[k] is not None for k in range(c.first, c.last + 1)):
                continue
            for k in range(c.first, c.last + 1):
                owner[k] = c
            chosen.append(c)
        notes: list[Note] = []
        chosen = self._longer_names(t, chosen, owner, notes)
        chosen.sort(key=lambda c: c.first)
        return [self._to_match(t, c) for c in chosen], notes

    def _walk(self, t: _Text, first: int, k: int, node: dict, path: list, used: set, out: list) -> None:
        for form in node.get(None, ()):
            c = self._check(t, first, k, form, path, used)
            if c is not None:
                out.append(c)
        if k + 1 >= len(t.tokens) or len(node) <= (None in node):
            return
        gap = t.gaps[k]
        if gap is None:
            return
        step = used | {gap} if gap else used
        for key, clitic, flags in readings(t.tokens[k + 1]):
            if clitic:
                continue
            child = node.get(key)
            if child is not None:
                path.append((0, flags))
                self._walk(t, first, k + 1, child, path, step, out)
                path.pop()

    def _check(self, t: _Text, first: int, last: int, form: _Form, path: list, used: set) -> _Candidate | None:
        rules = set(used)
        flags = [f for _, f in path]
        # غاراتها الجوية: a pronoun suffix on the first word makes the term definite, and the
        # words after it take the article
        owned = len(flags) >= 2 and flags[0] & SUFFIX and all(f & ARTICLE for f in flags[1:])
        if any(f & ARTICLE for f in flags):
            if not all(f & ARTICLE for f in flags) and not owned:
                return None  # the article on every word of the term, or on none
            rules.add("article")
        if flags[0] & LAM:
            rules.add("lam")
        number = ""
        if any(f & MASCULINE_DUAL for f in flags):
            # تفجيرين انتحاريين: every word of the term in the dual, none written with ة
            if not all(f & MASCULINE_DUAL for f in flags) or any(form.ta_marbuta):
                return None
            rules.add("number")
            number = "dual"
        for q, f in enumerate(flags):
            if f & ACCUSATIVE:
                if form.ta_marbuta[q] or form.words[q].endswith(("ا", "ي" + "ا")) or len(flags) < 2:
                    return None
                rules.add("accusative")
            if f & (PLURAL | DUAL | SUFFIX) and not form.ta_marbuta[q] and (f & (PLURAL | DUAL) or not form.words[q].endswith("ات")):
                return None  # only a word written with ة inflects (a ه of the word itself does not)
            if f & (PLURAL | DUAL):
                rules.add("number")
                number = "dual" if f & DUAL else (number or "plural")
            if f & SUFFIX:
                if q != len(flags) - 1 and not (q == 0 and owned):
                    return None
                rules.add("suffix")
        if form.spaceless:
            rules.add("spaceless")
        if any(t.respelled[first : last + 1]):
            rules.add("spelling")
        if not rules <= form.allowed:
            return None
        adjective = False
        if "tanwin" in form.allowed and self._has_tanwin(t, last):
            # سورياً: an accusative adjective, never the name
            if not form.entry.adjective:
                return None
            adjective = True
        elif self._after_accusative_noun(t, first, path[0][0], form):
            # جنديا سوريا: "a Syrian soldier", the tanwin unwritten; never the country
            if not form.entry.adjective:
                return None
            adjective = True
        if form.context and not adjective:
            verdict = self._context_allows(t, first, last, path[0][0], form.norm, form.context)
            if verdict is False:
                return None
            if verdict == "adjective":
                if not form.entry.adjective:
                    return None
                adjective = True
        return _Candidate(first, last, path[0][0], form, number, tuple(sorted(rules)), adjective)

    def _after_accusative_noun(self, t: _Text, first: int, clitic: int, form: _Form) -> bool:
        """A one-word name ending in يا right after an indefinite accusative noun (جنديا،
        دبلوماسيا، طلبا) is the nisba adjective in the accusative: سوريًّا, روسيًّا."""
        if clitic or len(form.words) != 1 or not form.words[0].endswith("يا") or first == 0:
            return False
        if t.gaps[first - 1] != "":  # white space only: مضيفا "تركيا ليست ..." is a quotation
            return False
        return is_accusative_noun(t.tokens[first - 1], self._is_name)

    @staticmethod
    def _has_tanwin(t: _Text, k: int) -> bool:
        start = t.index[t.spans[k][0]]
        stop = t.index[t.spans[k][1] - 1] + 1
        while stop < len(t.original) and is_dropped(t.original[stop]):
            stop += 1
        return any(ch in _TANWIN for ch in t.original[start:stop])

    def _is_name(self, word: str) -> bool:
        """``word`` is a one-word form of an entry (دمشق، تركيا)."""
        return None in self._trie.get(word, {})

    def _context_allows(self, t: _Text, first: int, last: int, clitic: int, form: str, context) -> bool | str:
        """True, False, or "adjective" where a ``not-adjective`` form reads as the adjective."""
        is_name = self._is_name
        before = t.neighbour(first - 1) if first > 0 and t.gaps[first - 1] is not None else None
        after = t.neighbour(last + 1) if last + 1 < len(t.tokens) and t.gaps[last] is not None else None

        def one_of(word: str | None, words) -> bool:
            if word is None:
                return False
            return any(word == w or (word[:1] in "وف" and word[1:] == w) for w in words)

        for c in context:
            if c.kind == "not-after" and one_of(before, c.words):
                return False
            if c.kind == "not-before" and one_of(after, c.words):
                return False
            if c.kind == "after" and not one_of(before, c.words):
                return False
            if c.kind == "before" and not one_of(after, c.words):
                return False
            if c.kind == "not-adjective":
                reading = reads_as_adjective(t.tokens, t.gaps, first, clitic, before, form, is_name)
                if reading == "skip":
                    return False
                if reading:
                    return reading
        return True

    # -- longer names -------------------------------------------------------------------
    def _longer_names(self, t: _Text, chosen: list[_Candidate], owner: list, notes: list[Note]) -> list[_Candidate]:
        """A match inside a run that a longer entry almost matches: take the longer entry
        when all its words are there (one in a near spelling), else drop the match with a note."""
        keep = []
        for c in chosen:
            verdict = self._near_longer(t, c, owner)
            if verdict is None:
                keep.append(c)
                continue
            kind, form, start, stop = verdict
            if kind == "near":
                for k in range(start, stop + 1):
                    owner[k] = None
                replacement = _Candidate(start, stop, 0, form, "", ("near",))
                for k in range(start, stop + 1):
                    owner[k] = replacement
                keep.append(replacement)
            else:
                s, e = self._term_span(t, c.first, c.last, c.clitic)
                run_s, run_e = self._term_span(t, start, stop, 0)
                notes.append(
                    Note(
                        s,
                        e,
                        t.original[s:e],
                        c.form.entry,
                        f"{t.original[s:e]!r} is part of {t.original[run_s:run_e]!r}, which looks like"
                        f" {form.entry.source!r} ({form.entry.target}) but is not it; {c.form.entry.target!r} not enforced",
                    )
                )
        return keep

    def _near_longer(self, t: _Text, c: _Candidate, owner: list):
        words = c.form.words
        if c.form.spaceless or c.adjective:  # قوات سورية: Syrian forces, not a name
            return None
        best = None
        for g, p in self._containing.get(words[0], ()):
            if g.entry is c.form.entry or len(g.words) <= len(words) or tuple(g.words[p : p + len(words)]) != words:
                continue
            for skip in (None, *range(len(g.words))):  # the whole name, or it with a word missing
                if skip is not None and p <= skip < p + len(words):
                    continue
                expect = [w for q, w in enumerate(g.words) if q != skip]
                inner = p - (1 if skip is not None and skip < p else 0)
                start = c.first - inner
                stop = start + len(expect) - 1
                if start < 0 or stop >= len(t.tokens) or stop < c.last:
                    continue
                if any(t.gaps[k] is None for k in range(start, stop)):
                    continue
                if any(owner[k] is not None and owner[k] is not c for k in range(start, stop + 1)):
                    continue
                exact, near, miss, beside = 0, 0, 0, False
                for q, w in enumerate(expect):
                    k = start + q
                    if c.first <= k <= c.last:
                        continue
                    token = t.tokens[k]
                    if any(key == w for key, _, _ in readings(token)):
                        exact += 1
                        # The name holds the term only if a word of it stands right beside the
                        # term: التحالف ضد داعش is a coalition against ISIS, ISIS is not in its name.
                        beside |= k in (c.first - 1, c.last + 1) and w not in _FUNCTION_WORDS
                    elif _one_edit(token, w) and len(w) - 2 * w.startswith("ال") >= 4:
                        near += 1  # a near spelling of a long word (الحق is not الحر)
                    else:
                        miss += 1
                if skip is None and miss == 0 and near == 1 and not c.clitic:
                    return ("near", g, start, stop)
                # Inside a name that is not quite there the term is right on its own
                # (أحياء دمشق الشرقية، طيب أردوغان), unless the name says its words are
                # never enforced apart from it (+whole: Syria inside the SDF's name).
                whole = g.entry.switch("whole")
                if whole and beside and miss + near + (skip is not None) == 1 and best is None:
                    best = ("note", g, start, stop)
        return best

    # -- results ------------------------------------------------------------------------
    @staticmethod
    def _term_span(t: _Text, first: int, last: int, clitic: int) -> tuple[int, int]:
        start = t.index[t.spans[first][0] + clitic]
        stop = t.index[t.spans[last][1] - 1] + 1
        # Diacritics written on the last letter belong to the term.
        while stop < len(t.original) and is_dropped(t.original[stop]) and t.original[stop] != TATWEEL:
            stop += 1
        return start, stop

    def _to_match(self, t: _Text, c: _Candidate) -> Match:
        text = t.original
        start, stop = self._term_span(t, c.first, c.last, c.clitic)
        clitic, clitic_start = "", start
        if c.clitic:
            clitic_start = t.index[t.spans[c.first][0]]
            clitic = text[clitic_start:start].replace(TATWEEL, "")
        else:
            at = t.spans[c.first][0]
            # A detached proclitic is a few characters long: look just before the term, so
            # a text with thousands of terms is still read once.
            detached = _DETACHED_CLITIC.search(t.norm, max(0, at - 12), at)
            if detached:
                clitic_start = t.index[detached.start("c")]
                clitic = text[clitic_start : t.index[detached.end("c") - 1] + 1]
        return Match(start, stop, text[start:stop], c.form.entry, clitic, clitic_start, c.number, c.rules, c.adjective)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` (4+ letters) differ by exactly one insertion, deletion or
    substitution."""
    if a == b or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def corpus_tokens(text: str):
    """(normalized token, whether it stands right after the previous one) for each token."""
    t = _Text.of(text)
    for k, token in enumerate(t.tokens):
        yield token, k > 0 and t.gaps[k - 1] is not None


def find_terms(text: str, glossary: Glossary) -> list[Match]:
    """Every occurrence of every glossary entry in ``text``, in order."""
    return Matcher(glossary).find(text)


def count_terms(texts, glossary: Glossary) -> dict[str, int]:
    """How often each entry (by source) occurs in ``texts``; entries that never occur count 0."""
    matcher = Matcher(glossary)
    counts = {e.source: 0 for e in glossary}
    for text in texts:
        for m in matcher.find(text):
            counts[m.entry.source] += 1
    return counts
