"""The project's own promises: CI runs the README's test command, seeds are aligned."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(marker: str) -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    i = lines.index(f"<!-- {marker} -->")
    block = lines[i + 1 : i + 4]
    assert block[0].startswith("```")
    return block[1].strip()


def test_ci_runs_the_readme_test_command():
    command = readme_command("test-command")
    assert "pytest" in command
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_translates_the_seed_article():
    command = readme_command("translate-command")
    assert "tarjama translate seeds/hasakah-prison.ar.txt" in command


def test_readme_installs_apart_from_running():
    """The install line installs and nothing else (it does not "fail" offline because a
    translation after it needs the model hub), from the clone, never from a package index."""
    command = readme_command("install-command")
    assert "pip install -e '.[serve,fast]'" in command and "tarjama " not in command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "tarjama[" not in readme and len(readme.encode("utf-8")) <= 12 * 1024
    assert readme.index("<!-- test-command -->") > readme.index("Chromium")


def test_seed_and_reference_are_paragraph_aligned():
    ar = (ROOT / "seeds" / "hasakah-prison.ar.txt").read_text(encoding="utf-8").splitlines()
    en = (ROOT / "seeds" / "hasakah-prison.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(ar) == len(en) == 14 and all(en)
