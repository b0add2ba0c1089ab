"""Look at a glossary through a corpus: what an entry really matches, and what it misses.

A corpus is a folder of documents (read recursively: every format the translator reads) or
one file. Three tools:

* :func:`concordance` — every occurrence of a term, key word in context (KWIC), with counts
  per written form; ``loose`` adds what :func:`loose_hits` finds that the matcher does not.
* :func:`loose_hits` — a deliberately generous search for an entry's forms: clitics and
  plural, dual and pronoun suffixes taken off, one long vowel (ا و ي) more or less or
  swapped with a neighbour in words of five letters or more, any punctuation between words,
  words run together. It over-finds on purpose; its hits that the matcher misses are *near misses*,
  which a person reads to tell a missed term from a different word.
* :func:`suggest` — near misses that recur (candidate variants of existing entries) and
  frequent names after a naming word (مدينة، تنظيم، الرئيس …) that no entry covers.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ...files import read_document
from ...errors import InputError
from ...text.arabic import has_arabic, normalize, normalize_with_map
from ...text.lines import LineIndex
from ..matching import Match, Matcher
from ..model import Entry, Glossary

# A word in normalized text: Arabic letters only, so quotes, hyphens, underscores of
# hashtags and digits all separate words.
_TOKEN = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3]+")
# Proclitics and the article, longest first (a word is tried with each that it starts with).
_PREFIXES = ("وبال", "فبال", "وكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك", "")
# Plural, dual and pronoun endings a loose search looks through.
_PRONOUNS = ("هما", "ها", "هم", "هن", "كم", "نا", "ه")
_SUFFIXES = ("ات", "ين", "ون", "ان", "تين", "تان", *_PRONOUNS, "")
_MIN_CORE = 2


# -- reading ------------------------------------------------------------------------------
def corpus_files(path: str | os.PathLike) -> list[Path]:
    """The documents of a folder (recursively, sorted): every format the translator reads
    (``.txt``, ``.md``, ``.html``, ``.docx`` …); or the one file given."""
    from ...formats import format_for, supported_suffixes

    p = Path(path)
    if p.is_dir():
        files = sorted(
            f for f in p.rglob("*")
            if f.is_file() and format_for(f.name) is not None and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
        if not files:
            raise InputError(f"{path}: no documents in this folder (read: {', '.join(supported_suffixes())})")
        return files
    if p.is_file():
        return [p]
    raise InputError(f"{path}: no such file or folder")


def read_text(path: str | os.PathLike) -> str:
    """The Arabic text of a document, as the translator reads it: a plain text file as it
    is, any other format (Markdown, HTML, Word …) as its translatable units, one a line."""
    from ...files import read_bytes
    from ...formats import extract, format_for
    from ...formats.base import DocumentError

    fmt = format_for(str(path))
    if fmt is None or fmt.name == "text":
        return read_document(path)
    try:
        units = extract(read_bytes(path), str(path)).units
    except DocumentError as e:
        raise InputError(e.message) from None
    return "\n".join(u.text for u in units) + "\n"


@dataclass(frozen=True)
class Document:
    name: str  # path relative to the corpus root (the file name for a single file)
    text: str

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)


def read_corpus(path: str | os.PathLike) -> Iterator[Document]:
    root = Path(path)
    for f in corpus_files(root):
        name = f.relative_to(root).as_posix() if root.is_dir() else f.name
        yield Document(name, read_text(f))


# -- key word in context ------------------------------------------------------------------
def context(text: str, start: int, end: int, words: int = 6) -> tuple[str, str, str]:
    """(left, key, right): up to ``words`` words each side, on one line.

    Only a window around the hit is split (widened while it holds too few words): splitting
    all the text before every hit would make a concordance quadratic in the document."""
    if not words:
        return "", text[start:end], ""
    width = 32 * (words + 1)
    while True:
        lo, hi = max(0, start - width), min(len(text), end + width)
        before, after = text[lo:start].split(), text[end:hi].split()
        # One word more than needed: the first may be cut by the window's edge.
        enough_left = lo == 0 or len(before) > words
        enough_right = hi == len(text) or len(after) > words
        if enough_left and enough_right:
            break
        width *= 4
    left = " ".join(before[-words:])
    right = " ".join(after[:words])
    return left, text[start:end], right


@dataclass(frozen=True)
class Hit:
    doc: str
    line: int
    start: int
    end: int
    form: str  # as written, proclitic included
    left: str
    right: str
    entry: str = ""  # the entry's source that the matcher chose ('' for a near miss)
    matched: bool = True

    def as_dict(self) -> dict:
        return {
            "file": self.doc,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "form": self.form,
            "left": self.left,
            "right": self.right,
            "entry": self.entry,
            "matched": self.matched,
        }


def _hit(doc: Document, start: int, end: int, entry: str, matched: bool, words: int) -> Hit:
    left, key, right = context(doc.text, start, end, words)
    line = doc.lines.line(start)
    return Hit(doc.name, line, start, end, " ".join(key.split()), left, right, entry, matched)


def match_hits(doc: Document, matches: list[Match], entries: set[str] | None = None, words: int = 6) -> list[Hit]:
    """Hits for the matcher's ``matches`` in one document (of ``entries`` only, when given)."""
    out = []
    for m in matches:
        if entries is None or m.entry.source in entries:
            start = m.clitic_start if m.clitic else m.start
            out.append(_hit(doc, start, m.end, m.entry.source, True, words))
    return out


# -- loose search -------------------------------------------------------------------------
_VOWELS = "اوي"


def _vowel_edits(word: str) -> set[str]:
    """``word`` with one long vowel (ا و ي) dropped, in words of five letters or more.

    Never the first or last letter, nor the ي of a final ية: word endings carry grammar
    (سوري is not سوريا, حماية is not حماة)."""
    if len(word) < 5:
        return set()
    return {
        word[:i] + word[i + 1 :]
        for i in range(1, len(word) - 1)
        if word[i] in _VOWELS and not (word[i] == "ي" and i == len(word) - 2 and word[-1] == "ه")
    }


def _transpositions(word: str) -> set[str]:
    """``word`` with a long vowel and a neighbouring letter swapped (امريكيه / اميركيه)."""
    if len(word) < 5:
        return set()
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(1, len(word) - 2)
        if (word[i] in _VOWELS) != (word[i + 1] in _VOWELS)
    }


@lru_cache(maxsize=200_000)
def _cores(token: str) -> tuple[frozenset[str], frozenset[str]]:
    """The cores of ``token`` (exact, and with one long vowel dropped): proclitics and the
    article, then a plural, dual or pronoun suffix, taken off in every way the letters
    allow. Nisba endings (ي، ية، يين) are not taken off (التركية is not تركيا), nor a
    pronoun after the article (no Arabic word has both)."""
    out: set[str] = set()
    for p in _PREFIXES:
        if not token.startswith(p):
            continue
        rest = token[len(p) :]
        if p.endswith("لل"):  # للجنة: the article's lam is one of the two
            rest = "ل" + rest
        definite = "ال" in p or p.endswith("لل")
        for suffix in _SUFFIXES:
            if suffix and (not rest.endswith(suffix) or (definite and suffix in _PRONOUNS)):
                continue
            core = rest[: len(rest) - len(suffix)] if suffix else rest
            if suffix == "ه" and not core.endswith("ت"):
                continue  # a final ه is mostly ة: موصوله is not موصول + ه
            if suffix and core.endswith("ت"):  # قواتها، طائرته: ة before a suffix is ت
                out.add(core[:-1] + "ه")
            if len(core) >= _MIN_CORE:
                out.add(core)
    fuzzy = set().union(*(_vowel_edits(c) for c in out)) if out else set()
    return frozenset(out), frozenset(fuzzy - out)


def _word_keys(word: str) -> tuple[set[str], set[str]]:
    """(exact, fuzzy) keys for one word of a form: its core without the article, and that
    core with one long vowel dropped or swapped with a neighbour."""
    core = word[2:] if word.startswith("ال") and len(word) > 4 else word
    return {core}, _vowel_edits(core) | _transpositions(core)


def _word_matches(keys: tuple[set[str], set[str]], token: str) -> bool:
    exact, fuzzy = keys
    cores, dropped = _cores(token)
    # Exact core = exact or fuzzy key; a core with a vowel dropped = the exact key only.
    return bool(cores & exact or cores & fuzzy or dropped & exact)


@dataclass
class LooseIndex:
    """The loose keys of every form of every entry, for one pass over each text."""

    glossary: Sequence[Entry]
    # a key of a form's first word -> [(entry, key sets of all its words)]
    by_first: dict[str, list[tuple[Entry, tuple[set[str], ...]]]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self):
        from ...text.arabic import normalize

        for e in self.glossary:
            for form in e.forms:
                words = normalize(form).split()
                if not words or any(len(w) < _MIN_CORE for w in words):
                    continue
                keys = tuple(_word_keys(w) for w in words)
                for k in keys[0][0] | keys[0][1]:
                    self.by_first[k].append((e, keys))
                if len(words) > 1:  # written together: ديرالزور، ابوبكر
                    self.by_first["".join(words)].append((e, (({"".join(words)}, set()),)))

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of every loose occurrence in ``text``, the longest at a place."""
        norm, index = normalize_with_map(text)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)]
        found = []
        for i, (s, _, tok) in enumerate(tokens):
            cores, dropped = _cores(tok)
            best = None
            for key in cores | dropped:
                for entry, keys in self.by_first.get(key, ()):
                    n = len(keys)
                    if i + n > len(tokens) or (best is not None and best[0] >= n):
                        continue
                    if _word_matches(keys[0], tok) and all(_word_matches(keys[j], tokens[i + j][2]) for j in range(1, n)):
                        best = (n, entry)
            if best is not None:
                n, entry = best
                end = tokens[i + n - 1][1]
                found.append((index[s], index[end - 1] + 1, entry))
        return found


def loose_hits(doc: Document, index: LooseIndex, matches: list[Match], words: int = 6) -> list[Hit]:
    """Loose occurrences; ``matched`` tells whether the matcher's ``matches`` cover each."""
    found = [(m.clitic_start if m.clitic else m.start, m.end, m.entry) for m in matches]
    out = []
    for start, end, entry in index.find(doc.text):
        # Found: the same entry matched here, or another entry's match spans it all (a
        # longer name). A shorter entry matched inside it is no cover: that is the case of
        # a term forced inside a name the matcher missed.
        covered = any(s < end and start < e and (x is entry or (s <= start and end <= e)) for s, e, x in found)
        out.append(_hit(doc, start, end, entry.source, covered, words))
    return out


# -- concordance --------------------------------------------------------------------------
@dataclass
class Concordance:
    term: str
    entry: Entry
    files: int
    hits: list[Hit]
    term_in_glossary: bool = True

    @property
    def matched(self) -> list[Hit]:
        return [h for h in self.hits if h.matched]

    @property
    def near_misses(self) -> list[Hit]:
        return [h for h in self.hits if not h.matched]

    def forms(self) -> Counter:
        return Counter(h.form for h in self.matched)

    def as_dict(self) -> dict:
        return {
            "term": self.term,
            "entry": self.entry.as_dict() if self.term_in_glossary else None,
            "files": self.files,
            "matches": len(self.matched),
            "near_misses": len(self.near_misses),
            "in_files": len({h.doc for h in self.hits}),
            "forms": dict(self.forms().most_common()),
            "hits": [h.as_dict() for h in self.hits],
        }


def concordance(term: str, docs: Iterable[Document], glossary: Glossary, loose: bool = False, words: int = 6) -> Concordance:
    """Where ``term`` occurs in ``docs``.

    A term of the glossary (source or variant, any spelling) is found as translation finds
    it: with the whole glossary, so a longer entry still wins. Any other Arabic text is
    searched as a one-entry glossary. ``loose`` adds the near misses.
    """
    entry = glossary.lookup(term)
    known = entry is not None
    if entry is None:
        if not has_arabic(term):
            raise InputError(f"{term!r} has no Arabic letters; give an Arabic term")
        entry = Entry(" ".join(term.split()), " ".join(term.split()))
        glossary = Glossary.from_entries([*glossary, entry])
    matcher = Matcher(glossary)
    index = LooseIndex([entry]) if loose else None
    hits: list[Hit] = []
    n = 0
    for doc in docs:
        n += 1
        matches = matcher.find(doc.text)
        found = match_hits(doc, matches, {entry.source}, words)
        if index is not None:
            found += [h for h in loose_hits(doc, index, matches, words) if not h.matched]
        hits.extend(sorted(found, key=lambda h: h.start))
    return Concordance(term, entry, n, hits, known)


# -- suggestions --------------------------------------------------------------------------
# Words that introduce a name in news Arabic: what follows them is a place, a group, a
# person, an operation or an institution.
NAMING_WORDS = {
    "place": ("مدينه", "بلده", "قريه", "محافظه", "ريف", "حي", "مخيم", "منطقه", "مطار", "قاعده", "معبر", "سجن", "جبل", "نهر", "ناحيه"),
    "group": ("تنظيم", "جماعه", "حركه", "فصيل", "جبهه", "لواء", "كتائب", "فيلق", "ميليشيا", "ميليشيات", "حزب"),
    "person": ("الرئيس", "الزعيم", "الملك", "الامير", "الشيخ", "الجنرال", "العميد", "اللواء", "القيادي", "زعيم", "الوزير"),
    "operation": ("عمليه", "معركه"),
    "institution": ("منظمه", "وكاله", "صحيفه", "قناه", "مجلس", "هيئه", "وزاره", "لجنه"),
}
# Words that end a name (function words, titles, common nouns of news prose).
_STOP = set(
    "في من علي الي عن مع التي الذي الذين هذا هذه ذلك تلك او ما لا بين كان قد بعد كما قال وقال حيث "
    "منذ خلال حتي ان انه انها الا اي تم عام يوم اليوم امس السوري السوريه التركي التركيه الروسي "
    "الروسيه الامريكي الامريكيه الاميركي الاميركيه العراقي العراقيه الايراني الايرانيه الفرنسي "
    "الفرنسيه شمال جنوب شرق غرب شمالي جنوبي شرقي غربي قرب وسط الشمالي الجنوبي الشرقي الغربي الشماليه "
    "الجنوبيه الشرقيه الغربيه الماضي الجديد السابق الحالي نفسه نفسها وهو وهي اخر الارهابي الارهابيه "
    "المسلحه المعارضه المتطرف العسكريه العسكري "
    # Generic heads of institution names (وزارة الخارجية، وكالة الأنباء): not names.
    "الانباء انباء الخارجيه الدفاع الداخليه النواب الوزراء الامن الصحه الشيوخ الاستخبارات "
    "الانتخابات الخزانه النقل العدل التحقيق تحقيق الاعلام اجلاء الاجلاء التصويت اعاده تحرير "
    "اخري جديده الاركان الاسبق الجديده الاولي الثانيه".split()
)


@dataclass(frozen=True)
class Suggestion:
    kind: str  # variant | name
    text: str  # the form as found (normalized)
    count: int
    entry: str = ""  # variant: the entry it belongs to; name: the naming word's category
    target: str = ""
    examples: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "count": self.count,
            "entry": self.entry,
            "target": self.target,
            "examples": list(self.examples),
        }


_CUE_KIND = {cue: kind for kind, cues in NAMING_WORDS.items() for cue in cues}
_QUOTES_SPACE = " \t\n\"'«»“”„‘’‹›"


def _naming_kind(token: str) -> str | None:
    """The kind of name ``token`` introduces, looking through و ف ب ل ك (لل = ل + ال)."""
    forms = {token}
    if token[:1] in "وف":
        forms.add(token[1:])
    for f in list(forms):
        if f[:1] in "بلك":
            forms.add(f[1:])
        if f.startswith("لل"):
            forms.add("ا" + f[1:])
    return next((_CUE_KIND[f] for f in forms if f in _CUE_KIND), None)


def _name_after(norm: str, tokens: list, i: int) -> list:
    """The words of the name that starts after token ``i`` (at most three)."""
    words = []
    prev_end = tokens[i][1]
    for s, e, w in tokens[i + 1 : i + 4]:
        if w in _STOP or len(w) < 2 or norm[prev_end:s].strip(_QUOTES_SPACE):
            break
        if not w.startswith("ال") and w.endswith(("يه", "ي")) and not words:
            break  # عملية عسكرية، منظمة إرهابية: an indefinite nisba is an adjective
        words.append((s, e, w))
        prev_end = e
    return words


def _bare(text: str) -> str:
    """Text without the article on its first word: السوريه and سوريه are one form."""
    return text[2:] if text.startswith("ال") and len(text) > 4 else text


def _without_proclitic(word: str) -> str:
    """ونتانياهو → نتانياهو, بالرقه → الرقه: the word as an entry would list it."""
    if word[:1] in "وف" and len(word) > 3:
        word = word[1:]
    if word[:1] in "بلك" and word[1:3] == "ال":
        word = word[1:]
    return word


def suggest(docs: Iterable[Document], glossary: Glossary, min_count: int = 5, limit: int = 50) -> list[Suggestion]:
    """Variants the matcher misses, then frequent unlisted names; each list by frequency."""
    matcher = Matcher(glossary)
    index = LooseIndex(list(glossary))
    by_source = {e.source: e for e in glossary}
    listed = {e.source: {_bare(normalize(f)) for f in e.forms} for e in glossary}
    variants: Counter = Counter()
    variant_entry: dict[str, str] = {}
    names: Counter = Counter()
    name_kind: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    # Counted by normalized spelling, shown as most often written: a person copies what is
    # printed into the glossary, and "الحكوميه" is no spelling of anybody's.
    written: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        matches = matcher.find(doc.text)
        spans = [(m.clitic_start if m.clitic else m.start, m.end) for m in matches]
        for h in loose_hits(doc, index, matches, words=4):
            if h.matched:
                continue
            form_norm, form_idx = normalize_with_map(h.form)
            found = list(_TOKEN.finditer(form_norm))
            words = [m.group() for m in found]
            key = " ".join([_without_proclitic(words[0]), *words[1:]])
            if _bare(key) in listed[h.entry]:
                continue  # a listed form the matcher leaves alone on purpose (context, tanwin)
            variants[key] += 1
            first = found[0].start() + len(words[0]) - len(_without_proclitic(words[0]))
            written[key][h.form[form_idx[first] : form_idx[found[-1].end() - 1] + 1]] += 1
            variant_entry.setdefault(key, h.entry)
            if len(examples[key]) < 3:
                examples[key].append(f"{doc.name}: {h.left} [{h.form}] {h.right}")
        norm, idx = normalize_with_map(doc.text)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)]
        for i, (_, _, tok) in enumerate(tokens[:-1]):
            kind = _naming_kind(tok)
            if kind is None:
                continue
            name_words = _name_after(norm, tokens, i)
            if not name_words:
                continue
            start, end = idx[name_words[0][0]], idx[name_words[-1][1] - 1] + 1
            if any(s < end and start < e for s, e in spans):
                continue  # the glossary already knows this name
            for n in range(1, len(name_words) + 1):
                key = " ".join(w for _, _, w in name_words[:n])
                names[key] += 1
                name_kind[key][kind] += 1
                written["name:" + key][doc.text[idx[name_words[0][0]] : idx[name_words[n - 1][1] - 1] + 1]] += 1
                if len(examples["name:" + key]) < 3:
                    a, b = idx[name_words[0][0]], idx[name_words[n - 1][1] - 1] + 1
                    left, k, right = context(doc.text, a, b, 4)
                    examples["name:" + key].append(f"{doc.name}: {left} [{k}] {right}")
    out = [
        Suggestion("variant", _as_written(written[k], k), n, variant_entry[k], by_source[variant_entry[k]].target, tuple(examples[k]))
        for k, n in variants.most_common()
        if n >= min_count
    ][:limit]
    # A longer name that is as frequent as its first words replaces them (دير الزور, not دير).
    kept = {k: n for k, n in names.items() if n >= min_count}
    for k in list(kept):
        longer = [o for o in kept if o != k and o.startswith(k + " ") and kept[o] >= 0.8 * kept[k]]
        if longer:
            del kept[k]
    out += [
        Suggestion("name", _as_written(written["name:" + k], k), n, name_kind[k].most_common(1)[0][0], "", tuple(examples["name:" + k]))
        for k, n in sorted(kept.items(), key=lambda kv: -kv[1])
    ][:limit]
    return out


def _as_written(forms: Counter, key: str) -> str:
    """The spelling most often written in the corpus (ties: the first met), one line."""
    best = max(forms.items(), key=lambda kv: kv[1], default=(key, 0))[0]
    return " ".join(best.split()) or key
