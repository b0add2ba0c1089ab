from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = SEEDS / "hasakah-prison.ar.txt"
REFERENCE = SEEDS / "hasakah-prison.en.txt"

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own translation memory, never the user's."""
    monkeypatch.setenv("TARJAMA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def private_user_folder(tmp_path_factory, monkeypatch):
    """The user's own glossary folder (platformdirs) is a fresh one per test, never the real
    one; subprocesses find it through $XDG_DATA_HOME."""
    import platformdirs

    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setattr(platformdirs, "user_data_path", lambda *a, **k: data / "tarjama")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return data / "tarjama"


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def project_glossary():
    from tarjama.glossary.model import load_glossary

    return load_glossary([ROOT / "glossary"])


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A randomly initialised Marian model with SentencePiece models trained on the seeds,
    saved like a hub model and loaded by tarjama's own loading code."""
    from tarjama.testing import build_marian

    folder = tmp_path_factory.mktemp("tiny-marian")
    source = ARTICLE.read_text(encoding="utf-8").splitlines()
    target = REFERENCE.read_text(encoding="utf-8").splitlines()
    return build_marian(folder, source, target)


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def echo_engine(monkeypatch):
    """Register the deterministic echo engine as 'echo' for CLI tests."""
    from fakes import EchoEngine

    from tarjama.engines import ENGINES

    calls = []

    def factory(model, **kw):
        engine = EchoEngine()
        calls.append(engine)
        return engine

    monkeypatch.setitem(ENGINES, "echo", factory)
    return calls


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty glossary folder that the CLI uses by default ($TARJAMA_GLOSSARY)."""
    g = tmp_path / "glossary"
    g.mkdir()
    monkeypatch.setenv("TARJAMA_GLOSSARY", str(g))
    return g
