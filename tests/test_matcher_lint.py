"""`glossary lint` on the matching columns: forms that are ordinary words, with corpus counts."""

from tarjama.cli import app
from tarjama.glossary.tools.lint import lint

HEADER = "source\ttarget\tvariants\tcontext\n"


def write(tmp_path, body, name="g.tsv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def rules(findings):
    return [(f.rule, f.line) for f in findings]


def test_a_nisba_variant_is_flagged_until_restricted(tmp_path):
    loose = write(tmp_path, "سوريا\tSyria\tسورية\t\n")
    [finding] = lint([loose])
    assert (finding.level, finding.rule, finding.line) == ("warning", "ordinary-word", 2)
    assert "'سورية' is also a nisba adjective" in finding.message and "سورية: not-adjective" in finding.message
    restricted = write(tmp_path, "سوريا\tSyria\tسورية\tسورية: not-adjective\n", "r.tsv")
    assert lint([restricted]) == []


def test_the_corpus_shows_how_often_a_form_is_an_ordinary_word(tmp_path):
    g = write(tmp_path, "شرطة\tpolice force\t\t\nحلب\tAleppo\t\t\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("قالت الشرطة إن شرطة حلب اعتقلت ثلاثة.\nوأكدت الشرطة ذلك في مدينة حلب.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("وصلت الشرطة إلى حلب وبالشرطة.\n", encoding="utf-8")
    without = lint([g])
    assert without == []  # neither ends in ية: no evidence without a corpus
    [finding] = lint([g], sorted(corpus.glob("*.txt")), "corpus")
    assert finding.rule == "ordinary-word" and finding.line == 2
    assert "in corpus: 1 occurrences, 0 right after a noun it may qualify, 4 more with the article" in finding.message


def test_bad_matching_columns_are_lint_errors(tmp_path):
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\trules\tcontext\nسوريا\tSyria\t+plurals\t\nحلب\tAleppo\t\tbeside دمشق\n", encoding="utf-8")
    errors = [f for f in lint([g]) if f.level == "error"]
    assert rules(errors) == [("matching-columns", 2), ("matching-columns", 3)]
    assert "unknown rule switch '+plurals'" in errors[0].message and "unknown context 'beside'" in errors[1].message


def test_cli_lint_in_corpus(runner, tmp_path):
    g = write(tmp_path, "سوريا\tSyria\tسورية\t\n")
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "x.txt").write_text("غارات روسية وسورية على ريف إدلب.\nوقالت الحكومة السورية.\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "lint", "--glossary", str(g), "--in", str(corpus)])
    assert result.exit_code == 0
    assert "[ordinary-word] 'سورية'" in result.stdout
    assert "1 occurrences, 1 right after a noun it may qualify, 1 more with the article" in result.stdout
    missing = runner.invoke(app, ["glossary", "lint", "--glossary", str(g), "--in", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr


def test_a_form_restricted_to_a_neighbour_is_not_unreachable(tmp_path):
    g = write(tmp_path, "الأسد\tAssad\t\tafter بشار الرئيس\n")
    assert lint([g]) == []
