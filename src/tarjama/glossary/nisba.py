"""Where an Arabic country name stands as its nisba adjective (سورية in لاجئة سورية is
"Syrian"), read from the words around it; used by :mod:`tarjama.glossary.matching`."""

from __future__ import annotations

from typing import Callable

from ..text.arabic import normalize

# Words after which a nisba adjective is not qualifying a noun (not-adjective).
FUNCTION_WORDS = set(
    normalize(
        "في من إلى الى على عن مع بين داخل خارج نحو عبر ضد حول لدى عند منذ حتى ثم أو أن إن"
        " أنه إنه لكن بل قد لم لن لا ما هل كل بعض غير سوى ضمن وسط أنحاء تجاه باتجاه قبل بعد"
        " شمال جنوب شرق غرب شمالي جنوبي شرقي غربي أراضي دول دولة"
    ).split()
)

# Words after which a nisba adjective stands as a predicate: هي سورية "she is Syrian".
PRONOUNS_BEFORE_PREDICATE = set(normalize("هو هي هم هن إنه إنها إنهم أنها أنهم ليس ليست").split())
# Accusative adverbs, written like an indefinite accusative noun, after which a country
# name is the country: وخصوصا روسيا "especially Russia".
ADVERBS = set(
    normalize(
        "أيضا خصوصا خاصة تحديدا حاليا سابقا لاحقا مؤخرا رسميا فورا يوميا أساسا تماما أبدا مجددا"
        " جدا كذلك أولا ثانيا ثالثا أخيرا غالبا دائما عادة مثلا إذا إذن لاسيما سيما وخصوصا إما"
        " حديثا قريبا مباشرة سويا معا بينما طالما كلما ربما عندما حينما لما كما مما بما إنما"
    ).split()
)


def reads_as_adjective(tokens: list[str], gaps: list, first: int, clitic: int, before: str | None) -> bool:
    """Where a nisba form (سورية) stands as the adjective: after a noun it qualifies (لاجئة
    سورية، روسية وسورية), a number (ميغ 17 سورية), غير (جنسيات غير سورية), an adjective and
    أو (روسية أو سورية), or a pronoun it is the predicate of (إنها سورية)."""
    proclitic = tokens[first][:clitic]
    if proclitic not in ("", "و", "ف") or before is None:
        return False
    if could_be_qualified(before):
        return True
    if proclitic:
        return False
    bare = before[1:] if before[:1] in "وف" and len(before) > 2 else before
    if before.isdigit() or bare == "غير" or before in PRONOUNS_BEFORE_PREDICATE or bare in PRONOUNS_BEFORE_PREDICATE:
        return True
    if bare == "او" and first >= 2 and gaps[first - 2] is not None:
        return could_be_qualified(tokens[first - 2]) and tokens[first - 2].endswith("يه")
    return False


def could_be_qualified(word: str | None) -> bool:
    """True when an adjective after ``word`` would qualify it: an indefinite noun or
    adjective (غارات، لاجئة، روسية), not a preposition or particle (في، من، إلى)."""
    if not word or word.startswith("ال") or word.isdigit():
        return False
    bare = word[1:] if word[:1] in "وف" and len(word) > 3 else word
    return bare not in FUNCTION_WORDS and word not in FUNCTION_WORDS and len(bare) >= 2


def is_accusative_noun(word: str, is_name: Callable[[str], bool]) -> bool:
    """``word`` reads as an indefinite accusative noun or adjective (جنديا، دبلوماسيا، طلبا،
    مواطنا): a name in يا after it is the nisba adjective (جنديا سوريا "a Syrian soldier").
    Not a plural verb (طالبوا), a pronoun suffix (أبرزها، منها), an adverb (أيضا، خصوصا), a
    function word, or a name itself (فرنسا روسيا: France and Russia)."""
    bare = word[1:] if word[:1] in "وف" and len(word) > 4 else word
    if len(bare) < 4 or not bare.endswith("ا") or bare.startswith("ال") or bare.endswith(("وا", "ها", "ما", "اا")):
        return False
    if word in ADVERBS or bare in ADVERBS or bare in FUNCTION_WORDS or any(ch.isdigit() for ch in bare):
        return False
    return not is_name(word) and not is_name(bare)
