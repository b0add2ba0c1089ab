"""One EngineOptions, built in one place: defaults, checks, ``auto``, and the memory key."""

import pickle
from dataclasses import replace

import pytest

from tarjama.engines import options as engine_options
from tarjama.engines.options import BATCH_TOKENS, EngineOptions, create
from tarjama.errors import ModelError, TarjamaError


def test_one_default_per_setting_frozen_and_picklable():
    options = EngineOptions.build("some/model")
    assert (options.engine, options.device, options.beams, options.batch_tokens) == ("auto", "auto", 4, BATCH_TOKENS)
    assert EngineOptions.build("some/model", beams=None, batch_tokens=None) == options  # None: the default
    assert pickle.loads(pickle.dumps(options)) == options and hash(options)
    with pytest.raises(AttributeError):
        options.beams = 2  # frozen


def test_bad_settings_are_one_line_errors():
    with pytest.raises(TarjamaError, match="unknown device"):
        EngineOptions.build("m", device="tpu")
    with pytest.raises(TarjamaError, match="float32 only"):
        EngineOptions.build("m", engine="transformers", compute_type="int8")
    with pytest.raises(TarjamaError, match="unknown compute type"):
        EngineOptions.build("m", compute_type="bf17")


def test_the_memory_key_holds_what_decides_a_translation_only():
    options = EngineOptions.build("some/model", engine="transformers")
    assert options.settings() == replace(options, batch_tokens=300, threads=1, batch_size=2).settings()
    assert options.settings() != replace(options, beams=2).settings()
    assert options.settings() != replace(options, engine="ctranslate2").settings()


def test_auto_prefers_ctranslate2_when_installed(monkeypatch):
    options = EngineOptions.build("m")
    monkeypatch.setattr(engine_options, "fast_available", lambda: True)
    chosen, why = options.resolved()
    assert chosen.engine == "ctranslate2" and "installed" in why
    monkeypatch.setattr(engine_options, "fast_available", lambda: False)
    chosen, why = options.resolved()
    assert chosen.engine == "transformers" and 'pip install -e ".[fast]"' in why
    # The settings (and so the translation memory) name the engine that runs.
    assert '"engine": "transformers"' in options.settings()
    with pytest.raises(TarjamaError, match="needs CTranslate2"):
        EngineOptions.build("m", compute_type="int8").resolved()


def test_auto_falls_back_to_transformers_when_ctranslate2_cannot_run_the_model(tiny_model, monkeypatch):
    from tarjama.engines import ENGINES

    def refuse(model, **kw):
        raise ValueError("No conversion is registered for the model configuration BertConfig")

    monkeypatch.setitem(ENGINES, "ctranslate2", refuse)
    monkeypatch.setattr(engine_options, "fast_available", lambda: True)
    engine, used, line = create(EngineOptions.build(str(tiny_model), beams=1))
    assert engine.name == used.engine == "transformers"
    assert line.startswith("engine: transformers float32 on cpu (CTranslate2 cannot run this model: No conversion")

    def damaged(model, **kw):
        raise ModelError("model.safetensors: the weights file is damaged")

    monkeypatch.setitem(ENGINES, "ctranslate2", damaged)
    with pytest.raises(ModelError):  # a damaged model is no reason to try another engine
        create(EngineOptions.build(str(tiny_model), beams=1))


def test_cli_says_which_engine_runs_and_why(runner, tiny_model, tmp_path):
    from tarjama.cli import app

    src = tmp_path / "a.txt"
    src.write_text("قالت قسد إن داعش هاجم", encoding="utf-8")
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--beams", "1"])
    assert r.exit_code == 0, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("engine:")]
    assert lines == ["engine: ctranslate2 int8 on cpu (CTranslate2 is installed)"]
    assert "engine:" not in r.stdout
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--beams", "1", "--engine", "transformers"])
    assert "engine: transformers float32 on cpu (chosen with --engine)" in r.stderr.splitlines()
    r = runner.invoke(app, ["translate", str(src), "--model", str(tiny_model), "--beams", "1", "-q"])
    assert "engine:" not in r.stderr


def test_ray_workers_get_the_drivers_options_as_one_value(echo_engine):
    """The Ray actor builds its Translator from the pickled EngineOptions the driver resolved."""
    from tarjama.glossary.model import Glossary
    from tarjama.jobs.ray_batch import GroupTranslator

    options = EngineOptions.build("some/model", engine="echo", beams=2, threads=1)
    config = pickle.loads(pickle.dumps({"glossary": Glossary(), "memory": None, "options": options}))
    worker = GroupTranslator(config)
    assert worker.translator.options == options
    assert worker.translator.engine is echo_engine[0]
