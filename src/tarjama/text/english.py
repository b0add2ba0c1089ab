"""Finding and tidying glossary terms in English output.

Models mangle terms in predictable ways: re-cased ("sdf"), split ("S DF", "S.D.F."),
hyphenated or re-spaced ("Cubs of the-Caliphate"), duplicated ("SDF SDF"). The finders
here recognise those forms so the repair step can put the exact target back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

_EDGE_L = r"(?<![A-Za-z0-9])"
_EDGE_R = r"(?![A-Za-z0-9])"


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=4096)
def target_pattern(target: str) -> re.Pattern:
    """Case-insensitive pattern for ``target`` and its mangled spellings."""
    parts = []
    for word in target.split():
        if _is_acronym(word) and word.isalpha():
            # "S DF", "S-D-F", "S.D.F" (a final dot is left alone: it may end the sentence)
            parts.append(r"[\s.\-]*".join(re.escape(c) for c in word))
        else:
            parts.append(re.escape(word))
    return re.compile(_EDGE_L + r"[\s\-]+".join(parts) + _EDGE_R, re.IGNORECASE)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern:
    """A forbidden rendering: case-insensitive, except acronyms, which match as written."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    flags = 0 if _is_acronym(phrase) else re.IGNORECASE
    return re.compile(_EDGE_L + body + _EDGE_R, flags)


class PhraseIndex:
    """Many forbidden phrases found in one pass over a text: each is tried only where a
    word that starts it stands, so 20,000 phrases cost what 20 do."""

    _RUN = re.compile(r"[A-Za-z0-9]+")

    def __init__(self, phrases: Iterable[tuple[str, object]]):
        self.by_word: dict[str, list[tuple[int, str, object]]] = {}
        self.elsewhere: list[tuple[int, str, object]] = []  # phrases that start with punctuation
        for order, (phrase, payload) in enumerate(phrases):
            first = self._RUN.match(phrase.strip())
            item = (order, phrase, payload)
            if first:
                self.by_word.setdefault(first.group(0).lower(), []).append(item)
            else:
                self.elsewhere.append(item)

    def finditer(self, text: str):
        """(phrase, payload, match) for every occurrence, in the order the phrases were given."""
        hits = []
        for run in self._RUN.finditer(text):
            for order, phrase, payload in self.by_word.get(run.group(0).lower(), ()):
                m = phrase_pattern(phrase).match(text, run.start())
                if m:
                    hits.append((order, m.start(), phrase, payload, m))
        for order, phrase, payload in self.elsewhere:
            hits.extend((order, m.start(), phrase, payload, m) for m in phrase_pattern(phrase).finditer(text))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [(phrase, payload, m) for _, _, phrase, payload, m in hits]


def find_target(text: str, target: str) -> list[tuple[int, int]]:
    """Spans of ``target`` in ``text``, mangled forms included.

    A split acronym must still be written in capitals: "S DF" counts, "is is" does not.
    """
    spans = []
    for m in target_pattern(target).finditer(text):
        found = m.group(0)
        if found != target and re.search(r"[\s.\-]", found) and _is_acronym(target):
            if not _is_acronym(found):
                continue
        spans.append(m.span())
    return spans


def find_all_targets(text: str, targets: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans of each target; longer targets claim their text first ("Red Cross" inside
    "International Committee of the Red Cross" is not counted twice)."""
    taken: list[tuple[int, int]] = []
    result: dict[str, list[tuple[int, int]]] = {}
    for target in sorted(set(targets), key=len, reverse=True):
        spans = [s for s in find_target(text, target) if not _overlaps(s, taken)]
        taken.extend(spans)
        result[target] = spans
    return result


def present_targets(text: str, targets: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans where each target is present: written exactly as the glossary has it.

    The one definition of "the target is present", shared by enforcement's verification,
    ``check``, ``check --fix`` and the term success rate of ``score``: a re-cased or split
    form ("sdf", "S D F") is found by :func:`find_all_targets` but is not present; it is
    a misspelling that the repair step respells.
    """
    found = find_all_targets(text, targets)
    return {t: [(s, e) for s, e in spans if written_as(text, s, e, t)] for t, spans in found.items()}


def misspelled_targets(text: str, targets: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans of each target written in a mangled form (re-cased, split, hyphenated)."""
    found = find_all_targets(text, targets)
    return {t: [(s, e) for s, e in spans if not written_as(text, s, e, t)] for t, spans in found.items()}


_OPENERS = "\"'«“‘(["


def written_as(text: str, start: int, end: int, target: str) -> bool:
    """``text[start:end]`` is ``target`` as written, or with its first letter capitalised
    where a sentence starts, or after a colon ("Drone was shot down." for "drone"): tarjama
    capitalises sentences, and so does everyone else."""
    found = text[start:end]
    if found == target:
        return True
    return found == target[:1].upper() + target[1:] and starts_sentence(text, start, ".!?:")


def starts_sentence(text: str, position: int, ends: str = ".!?") -> bool:
    """Whether a sentence starts at ``position``: nothing before it but opening quotes or
    brackets, or the end of a sentence (one of ``ends``)."""
    before = text[:position].rstrip().rstrip(_OPENERS).rstrip()
    return not before or before[-1] in ends


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def replace_spans(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for s, e, new in sorted(edits):
        out.append(text[last:s])
        out.append(new)
        last = e
    out.append(text[last:])
    return "".join(out)


_FUNCTION_WORDS = "the|a|an|of|in|to|and|for|by|with|on|at|from|as"
_DOUBLED = re.compile(rf"\b({_FUNCTION_WORDS})(\s+\1\b)+", re.IGNORECASE)
# Acronym letters whose name starts with a vowel sound: "an SDF", "an ISIS", but "a YPG".
_VOWEL_LETTER_NAMES = set("AEFHILMNORSX")


def needs_an(word: str) -> bool:
    if _is_acronym(word):
        return word[0] in _VOWEL_LETTER_NAMES
    return word[:1].lower() in "aeio"


def collapse_duplicates(text: str, target: str) -> str:
    """"SDF SDF", "SDF, SDF" and "SDF (SDF)" become "SDF"."""
    t = re.escape(target)
    pattern = re.compile(rf"{_EDGE_L}{t}(?:\s*[,;/]?\s*\(?{t}\)?)+{_EDGE_R}")
    return pattern.sub(lambda m: target, text)  # glossary text is text, never a template


def fix_articles(text: str, targets: Iterable[str]) -> str:
    """"a ISIS" → "an ISIS", "an Bradley" → "a Bradley", before glossary targets."""
    for target in targets:
        first = target.split()[0] if target.split() else target

        def fix(m: re.Match) -> str:
            article = m.group(1)
            want = "an" if needs_an(first) else "a"
            if article[0].isupper():
                want = want.capitalize()
            return f"{want}{m.group(2)}"

        text = re.sub(
            rf"\b(a|an|A|An)(\s+){re.escape(target)}{_EDGE_R}",
            lambda m: fix(m) + target,
            text,
        )
    return text


def tidy(text: str, *, sentence_start: bool = True) -> str:
    """Spacing, doubled function words, and a capital at the start of a sentence."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = _DOUBLED.sub(lambda m: m.group(1), text)
    if sentence_start and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text
