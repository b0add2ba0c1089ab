import pytest

from tarjama.glossary.model import GlossaryError, load_glossary

HEADER = "source\ttarget\tvariants\tforbidden\tnote\n"


def write(tmp_path, name, body, header=HEADER):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_loads_columns_comments_and_lists(tmp_path):
    path = write(tmp_path, "g.tsv", "# a comment\nقسد\tSDF\tقوات سوريا الديمقراطية\tQasad|Syrian Democratic Forces\thouse style\n\n")
    [entry] = load_glossary([path])
    assert entry.target == "SDF"
    assert entry.variants == ("قوات سوريا الديمقراطية",)
    assert entry.forbidden == ("Qasad", "Syrian Democratic Forces")
    assert (entry.note, entry.line) == ("house style", 3)


def test_minimal_columns_and_bom(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("\ufeffsource\ttarget\nداعش\tISIS\n".encode("utf-8"))
    assert [e.target for e in load_glossary([path])] == ["ISIS"]


@pytest.mark.parametrize(
    "header, body, message",
    [
        ("source\tnote\n", "قسد\tx\n", "g.tsv:1: header lacks column 'target'"),
        (HEADER, "\tSDF\n", "g.tsv:2: empty source"),
        (HEADER, "قسد\t\n", "g.tsv:2: empty target"),
        (HEADER, "SDF\tSDF\n", "g.tsv:2: source 'SDF' has no Arabic letters"),
        (HEADER, "قسد\tSDF\nقَسَد\tQSD\n", "g.tsv:3: 'قَسَد' is already defined on line 2"),
        (HEADER, "قسد\tSDF\tx\ty\tz\textra\n", "g.tsv:2: 6 tab-separated fields"),
        ("", "# only comments\n", "no header row"),
    ],
)
def test_malformed_glossaries_name_file_and_line(tmp_path, header, body, message):
    path = write(tmp_path, "g.tsv", body, header)
    with pytest.raises(GlossaryError) as e:
        load_glossary([path])
    assert message in e.value.message


def test_bad_encoding_names_the_line(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(HEADER.encode() + "قسد\tSDF\n".encode() + b"\xff\xfe\tX\n")
    with pytest.raises(GlossaryError, match=r"g.tsv:3: not UTF-8"):
        load_glossary([path])


def test_nothing_is_half_loaded(tmp_path):
    good = write(tmp_path, "a.tsv", "قسد\tSDF\n")
    bad = write(tmp_path, "b.tsv", "داعش\t\n")
    with pytest.raises(GlossaryError):
        load_glossary([good, bad])


def test_later_files_override_and_say_so(tmp_path):
    write(tmp_path, "a.tsv", "قسد\tSyrian Democratic Forces\nداعش\tISIS\n")
    write(tmp_path, "b.tsv", "قسد\tSDF\n")
    g = load_glossary([tmp_path])  # a folder: its *.tsv in name order
    assert {e.source: e.target for e in g} == {"قسد": "SDF", "داعش": "ISIS"}
    [note] = g.overrides
    assert "b.tsv:2 overrides" in note and "a.tsv:2" in note and "(was Syrian Democratic Forces)" in note


def test_missing_path(tmp_path):
    with pytest.raises(GlossaryError, match="no such glossary"):
        load_glossary([tmp_path / "nope.tsv"])


def test_project_glossary_is_valid_and_covers_the_basics(project_glossary):
    targets = {e.source: e.target for e in project_glossary}
    assert targets["قسد"] == "SDF"
    assert targets["داعش"] == "ISIS"
    assert targets["أشبال الخلافة"] == "Cubs of the Caliphate"
    assert targets["التحالف الدولي"] == "International Coalition"
    assert targets["الحسكة"] == "Hasakah"
    assert targets["غويران"] == "Ghwayran"
    assert len(project_glossary) >= 40
    isis = project_glossary.lookup("داعش")
    assert {"Daesh", "ISIL", "Islamic State"} <= set(isis.forbidden)
