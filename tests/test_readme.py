"""Every console example of the README and of the documentation site (``docs/*.md``) is
run, and its output must keep the shape shown.

A console example is a fenced block with lines starting with ``$ ``; the lines after a
command, up to the next one, are its output (stdout and stderr as a terminal shows them).
Each block runs in a fresh folder holding copies of ``seeds/``, ``glossary/``, ``tests/``
and ``bench/``, with
``TARJAMA_GLOSSARY=glossary``, the tiny test model as ``$TARJAMA_MODEL`` (``/tmp/tiny``
in a command means it too) and no network. ``$ cat FILE`` of a file that does not exist
yet creates it from the output shown; ``$ echo $?`` checks the previous exit code.

HTML comments just before a block adapt it (several may be given):

- ``<!-- example: skip: WHY -->``: not run here (say why);
- ``<!-- example: setup: SHELL COMMAND -->``: run first, in the block's folder;
- ``<!-- example: empty glossary -->``: the glossary folder starts empty;
- ``<!-- example: no model -->``: no ``$TARJAMA_MODEL`` and an empty Hugging Face cache.

The shape compared: the number of lines (a line that is only ``…`` or ``...`` stands for
lines left out), and for each line its fields (separated by a tab or two spaces) and
first word, with digits ignored; an ``Error:`` line means exit code 2.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"^<!--\s*example:\s*(.*?)\s*-->$")
ELISION = {"…", "..."}


@dataclass
class Step:
    command: str
    output: list[str] = field(default_factory=list)


@dataclass
class Example:
    line: int  # of the opening fence, 1-based
    markers: list[str]
    steps: list[Step]
    page: str = "README.md"  # relative to the project root

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def id(self) -> str:
        return f"{self.where} {self.steps[0].command[:40]}"


def parse_examples(text: str, page: str = "README.md") -> list[Example]:
    examples, markers = [], []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = MARKER.match(line.strip())
        if m:
            markers.append(m.group(1))
        elif line.startswith("```"):
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if body and body[0].startswith("$ "):
                steps: list[Step] = []
                for b in body:
                    if b.startswith("$ "):
                        steps.append(Step(b[2:]))
                    else:
                        steps[-1].output.append(b)
                examples.append(Example(start, markers, steps, page))
            markers = []
        elif line.strip() and not line.startswith("<!--"):
            markers = []
        i += 1
    return examples


EXAMPLES = [e for p in PAGES for e in parse_examples(p.read_text(encoding="utf-8"), p.relative_to(ROOT).as_posix())]


def normalize(line: str, folder: Path, tiny: Path) -> str:
    line = line.replace(str(tiny), "/tmp/tiny").replace(str(folder), "~")
    return re.sub(r"\d+", "0", line).rstrip()


def fields(line: str) -> list[str]:
    return [f for f in re.split(r"\t|\s{2,}", line.strip()) if f]


def same_shape(expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    fe, fa = fields(expected), fields(actual)
    if len(fe) != len(fa):
        return False
    return (fe[0].split()[0] if fe else "") == (fa[0].split()[0] if fa else "")


def segments(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip() in ELISION:
            out.append([])
        else:
            out[-1].append(line)
    return out


def check_output(expected: list[str], actual: list[str]) -> str | None:
    """None when ``actual`` has the shape of ``expected``; else what differs."""
    parts = segments(expected)
    if len(parts) == 1:
        if len(expected) != len(actual):
            return f"{len(actual)} lines, the page shows {len(expected)}"
        for e, a in zip(expected, actual):
            if not same_shape(e, a):
                return f"line {a!r} does not have the shape of {e!r}"
        return None
    at = 0
    for n, part in enumerate(parts):
        if not part:
            continue
        if n == 0:
            starts = [0]
        elif n == len(parts) - 1 and expected[-1].strip() not in ELISION:
            starts = [len(actual) - len(part)]
        else:
            starts = range(at, len(actual) - len(part) + 1)
        for s in starts:
            if s >= at and all(same_shape(e, a) for e, a in zip(part, actual[s : s + len(part)])) and s + len(part) <= len(actual):
                at = s + len(part)
                break
        else:
            return f"no lines with the shape of {part[0]!r}… (after line {at})"
    return None


@pytest.fixture
def example_folder(tmp_path, tiny_model):
    folder = tmp_path / "readme"
    folder.mkdir()
    # What the examples read: the seeds, the glossary, test data, the benchmark scripts.
    for name in ("seeds", "glossary", "tests", "bench"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tarjama"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tarjama "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleaved as at a terminal
        "HOME": str(folder),
        "HF_HUB_OFFLINE": "1",
        "TARJAMA_GLOSSARY": "glossary",
        "TARJAMA_MODEL": str(tiny_model),
        "TARJAMA_CACHE_DIR": str(tmp_path / "cache"),
        "COLUMNS": "100",
        "LANG": "C.UTF-8",
    }
    return folder, env, tiny_model


def test_the_readme_has_console_examples():
    readme = [e for e in EXAMPLES if e.page == "README.md"]
    assert len(readme) >= 5
    assert sum(len(e.steps) for e in readme) >= 10


def test_example_ids_name_their_page_and_line():
    text = "Intro\n\n<!-- example: skip: why -->\n```console\n$ tarjama --version\ntarjama 0.1.0\n```\n"
    [example] = parse_examples(text, "docs/glossary.md")
    assert example.id == "docs/glossary.md:4 tarjama --version"
    assert example.markers == ["skip: why"] and example.steps[0].output == ["tarjama 0.1.0"]
    assert {e.page for e in EXAMPLES} >= {"README.md", "docs/getting-started.md"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_readme_example(example: Example, example_folder):
    folder, env, tiny = example_folder
    for marker in example.markers:
        if marker.startswith("skip"):
            pytest.skip(marker)
    for marker in example.markers:
        if marker == "empty glossary":
            shutil.rmtree(folder / "glossary")
            (folder / "glossary").mkdir()
        elif marker == "no model":
            env.pop("TARJAMA_MODEL")
        elif marker.startswith("setup:"):
            done = subprocess.run(["bash", "-c", marker[len("setup:"):]], cwd=folder, env=env, capture_output=True, text=True)
            assert done.returncode == 0, f"setup failed: {marker}: {done.stderr}"
        else:
            raise AssertionError(f"{example.where}: unknown example marker {marker!r}")
    last_code = 0
    for step in example.steps:
        command = step.command.replace("/tmp/tiny", str(tiny))
        where = f"{example.where}: $ {step.command}"
        if command.strip() == "echo $?":
            assert [str(last_code)] == step.output, f"{where}: exit code {last_code}, the page shows {step.output}"
            continue
        export = re.fullmatch(r"export ((?:\w+=\S+ ?)+)", command.strip())
        if export:  # kept for the block's later steps, as in the reader's shell
            for name, value in (pair.split("=", 1) for pair in export.group(1).split()):
                value = str(folder / value) if name == "PYTHONPATH" else value
                env[name] = os.pathsep.join(filter(None, [value, env.get(name)])) if name == "PYTHONPATH" else value
            continue
        cat = re.fullmatch(r"cat (\S+)", command.strip())
        if cat and not (folder / cat.group(1)).exists():  # the file the example assumes
            (folder / cat.group(1)).write_text("".join(line + "\n" for line in step.output), encoding="utf-8")
            continue
        done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
        last_code = done.returncode
        actual = [normalize(line, folder, tiny) for line in done.stdout.rstrip("\n").split("\n")] if done.stdout else []
        expected = [normalize(line, folder, tiny) for line in step.output]
        assert "Traceback" not in done.stdout, f"{where}\n{done.stdout}"
        problem = check_output(expected, actual)
        assert problem is None, f"{where}: {problem}\n--- real output:\n{done.stdout}"
        if any(line.startswith("Error: ") for line in step.output) and "|" not in command:  # a pipe's code is its last command's
            assert done.returncode == 2, f"{where}: exit code {done.returncode}, an error is 2"
        elif command.split()[0] == "tarjama":
            assert done.returncode in (0, 1), f"{where}: exit code {done.returncode}\n{done.stdout}"
