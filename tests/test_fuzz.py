"""Property tests over the text paths: whatever the text, one output line per input line,
and never a traceback.

Random Unicode (Arabic with diacritics, tatweel and presentation forms, Latin, digits,
punctuation, bidi and zero-width marks, anything else), every line ending, blank lines and
huge lines, with glossary terms mixed in, through the pipeline with a deterministic fake
engine and through the command line. Derandomized, so a failure is reproducible and a run
is never flaky; the example counts keep it fast.
"""

from __future__ import annotations

import json

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fakes import AdversarialEngine, EchoEngine  # noqa: E402

from tarjama.quality.check import check_translation  # noqa: E402
from tarjama.cli import app  # noqa: E402
from tarjama.glossary.matching import Matcher  # noqa: E402
from tarjama.text.segment import split_paragraphs  # noqa: E402
from tarjama.pipeline.translator import Translator  # noqa: E402

FAST = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةى"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"  # diacritics, tatweel
ODD = "\u200c\u200d\u200e\u200f\u202b\u202c\ufeff\u00a0\u2009"  # joiners, bidi marks, odd spaces
PUNCT = ".!?؟؛،…:;,\"'«»()[]-–—/ 0123456789٠١٢٣"
PRESENTATION = "".join(chr(c) for c in range(0xFE70, 0xFEFC, 3)) + "".join(chr(c) for c in range(0xFB50, 0xFBB0, 7))

char = st.one_of(
    st.sampled_from(ARABIC),
    st.sampled_from(ARABIC + MARKS + ODD + PUNCT + "SDF isis Abc"),
    st.sampled_from(PRESENTATION),
    st.sampled_from("\x00\x07\x1b\x7f"),  # not text: the command line must refuse it in one line
    st.characters(blacklist_categories=("Cs", "Cc")),  # anything else that is text
)


@st.composite
def documents(draw, terms: list[str]):
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "text", "terms", "blank", "huge"]))
        if kind == "blank":
            lines.append(draw(st.sampled_from(["", " ", "\t", "  \u00a0"])))
        elif kind == "terms":
            words = draw(st.lists(st.one_of(st.sampled_from(terms), st.text(char, max_size=8)), max_size=8))
            lines.append(" ".join(("و" + w if draw(st.booleans()) and w else w) for w in words))
        elif kind == "huge":
            piece = draw(st.one_of(st.sampled_from(terms), st.text(char, min_size=1, max_size=20)))
            sep = draw(st.sampled_from([" ", "، ", ". ", ""]))
            lines.append(sep.join([piece] * draw(st.integers(50, 150))))
        else:
            lines.append(draw(st.text(char, max_size=80)))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    final = draw(st.booleans())
    return ending.join(lines) + (ending if final and lines else "")


@pytest.fixture(scope="module")
def glossary():
    from pathlib import Path

    from tarjama.glossary.model import load_glossary

    return load_glossary([Path(__file__).resolve().parent.parent / "glossary"])


@pytest.fixture(scope="module")
def terms(glossary):
    return sorted({f for e in glossary for f in e.forms})[:200]


def expected_lines(text: str) -> int:
    return len(split_paragraphs(text.replace("\r\n", "\n").replace("\r", "\n")))


def test_pipeline_gives_one_line_per_line(glossary, terms):
    echo = Translator(glossary=glossary, engine=EchoEngine(max_input_tokens=12))
    adversarial = Translator(glossary=glossary, engine=AdversarialEngine(glossary, max_input_tokens=12))
    matcher = Matcher(glossary)

    @FAST
    @given(documents(terms))
    def run(text):
        normalized = text.replace("\r\n", "\n").replace("\r", "\n")
        n = expected_lines(text)
        for translator in (echo, adversarial):
            result = translator.translate_document(normalized)
            assert len(result.paragraphs) == n
            assert all("\n" not in p for p in result.paragraphs)
            assert result.unresolved == 0  # the stitched round cannot fail
        for m in matcher.find(normalized):
            assert normalized[m.start : m.end] == m.text
        english = "\n".join(result.paragraphs) + "\n" if result.paragraphs else ""
        check_translation(normalized, english, glossary)

    run()


def test_command_line_never_shows_a_traceback(runner, echo_engine, terms):
    from pathlib import Path

    glossary = str(Path(__file__).resolve().parent.parent / "glossary")

    @settings(FAST, max_examples=25)
    @given(documents(terms))
    def run(text):
        data = text.encode("utf-8")
        r = runner.invoke(app, ["translate", "-", "--engine", "echo", "-g", glossary, "-q"], input=data)
        assert "Traceback" not in (r.stdout + r.stderr)
        if r.exit_code == 2:  # not text (a control character): one line, never a half result
            assert r.stdout == "" and r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1
            return
        assert r.exit_code == 0, (r.exception, r.stderr)
        lines = r.stdout.split("\n")
        assert lines[-1] == "" or not text  # newline-terminated
        assert len(lines) - 1 == expected_lines(text) or (not r.stdout and not text)
        r = runner.invoke(app, ["glossary", "find", "-", "-g", glossary, "--json"], input=data)
        assert r.exit_code == 0 and isinstance(json.loads(r.stdout), list)

    run()
