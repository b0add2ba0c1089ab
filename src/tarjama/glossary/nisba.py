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
        # past verbs in ا (ودعا روسيا) and participles of manner (متهما روسيا، مضيفا "تركيا ...")
        " دعا بدا نجا عدا غزا شكا رجا مضيفا مشيرا موضحا مؤكدا قائلا معتبرا لافتا منوها متهما"
        " مطالبا داعيا محذرا مشددا مطالبا واصفا معربا مرحبا منتقدا مستبعدا مبينا ناقلا نقلا"
        " متوعدا مهددا متحدثا مخاطبا محملا مناشدا رضا برضا"
    ).split()
)


# Broken plurals that a feminine nisba qualifies (مصادر سورية، فصائل سورية، وسائل إعلام سورية).
_BROKEN_PLURAL = {"مدن", "قري", "سفن", "دول", "نقاط", "جهود", "قوي"}
# Words after which a nisba noun is counted, not qualifying: ألف داعشي "a thousand ISIS militants".
_COUNTING = set(normalize("ألف آلاف الاف مئة مائة مئات عشرات ملايين مليون أنت أنا نحن").split())


# Nouns a masculine nisba noun such as داعشي qualifies as an adjective: هجوم داعشي "an ISIS attack".
_QUALIFIED_NOUNS = set(
    normalize(
        "هجوم هجوما تفجير تفجيرا اعتداء اعتداءا إرهابي ارهابي مقاتل مقاتلا قيادي قياديا عنصر عنصرا"
        " مسلح مسلحا سجن فكر تنظيم هجوم انتحاري انتحاريا قائد أمير امير والي خطاب إعلام اعلام"
    ).split()
)


def _agrees_feminine(word: str) -> bool:
    """``word`` can take a feminine adjective: a feminine singular (طائرة، عائلة), a plural
    in ات (منشآت، مروحيات), or a broken plural (مصادر، فصائل، أهداف، مدن)."""
    bare = word[1:] if word[:1] in "وف" and len(word) > 4 else word
    if bare.endswith(("ه", "ات")) or bare in _BROKEN_PLURAL:
        return True
    # مفاعل / فعائل (مصادر، مواقع، فصائل، وسائل، مناطق) and أفعال (أهداف، أطراف، أحياء)
    return len(bare) == 5 and (bare[2] == "ا" or (bare[0] == "ا" and bare[3] == "ا"))


def reads_as_adjective(tokens: list[str], gaps: list, first: int, clitic: int, before: str | None, form: str, is_name) -> str | None:
    """How a nisba form (سورية، داعشي، الداعشي) reads here: ``"adjective"``, ``"skip"`` (neither
    reading is sure: اعتقل داعشي, a verb or a noun before it; left alone), or None (the name
    itself, or the noun: غزو سورية "the invasion of Syria").

    The adjective after a noun it qualifies (لاجئة سورية، روسية وسورية، هجوم داعشي, and for a
    definite form a definite noun: الفكر الداعشي), a number (ميغ 17 سورية), غير (جنسيات غير
    سورية), an adjective and أو (روسية أو سورية), or a pronoun it is the predicate of (إنها
    سورية). A name before it makes a list of names (العراق وتركيا وسورية)."""
    proclitic = tokens[first][:clitic]
    if proclitic not in ("", "و", "ف") or before is None:
        return None
    bare = before[1:] if before[:1] in "وف" and len(before) > 3 else before
    if is_name(before) or is_name(bare):
        return None
    feminine = form.endswith("ه")
    if form.startswith("ال"):
        # الفكر الداعشي; after a feminine word it is a noun of its own (العاصمة الإندونيسية
        # الداعشي أمان عبدالرحمن: the ISIS militant Aman Abdurrahman)
        agrees = feminine == (before.endswith(("ه", "ات")))
        definite = before.startswith("ال") and len(before) >= 5 and before not in FUNCTION_WORDS and agrees
        return "adjective" if definite and not proclitic else None
    if before in PRONOUNS_BEFORE_PREDICATE or bare in PRONOUNS_BEFORE_PREDICATE:
        return "adjective" if feminine and not proclitic else None
    if could_be_qualified(before) and bare not in _COUNTING:
        if not feminine:
            # داعشي after an indefinite word: the adjective after a noun it is known to
            # qualify (هجوم داعشي), else a verb or a noun in construct (اعتقل داعشي، إعادة
            # داعشي) may stand there: neither reading is sure, nothing is enforced
            return "adjective" if bare in _QUALIFIED_NOUNS else "skip"
        if _agrees_feminine(before):
            return "adjective"
        # مصادر محلية سورية، وسائل إعلام سورية: the noun before the genitive agrees
        if first >= 2 and gaps[first - 2] is not None and _agrees_feminine(tokens[first - 2]) and could_be_qualified(tokens[first - 2]):
            return "adjective"
        return None  # غزو سورية، مستقبل سورية: a masculine noun in construct with the country
    if proclitic:
        return None
    if before.isdigit() or bare == "غير":
        return "adjective" if feminine else None
    if bare == "او" and first >= 2 and gaps[first - 2] is not None:
        word = tokens[first - 2]
        return "adjective" if could_be_qualified(word) and word.endswith("يه") else None
    return None


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
    bare = word[1:] if word[:1] in "وف" and len(word) > 3 else word
    if len(word) < 4 or not bare.endswith("ا") or bare.startswith("ال") or bare.endswith(("وا", "ها", "ما", "اا")):
        return False
    if word in ADVERBS or bare in ADVERBS or bare in FUNCTION_WORDS or any(ch.isdigit() for ch in bare):
        return False
    return not is_name(word) and not is_name(bare)
