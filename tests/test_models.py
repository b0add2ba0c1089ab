"""Model loading: local folders, the cache, and clear messages when a model cannot be had."""

import json
import os
import subprocess
import sys

import pytest

from tarjama.errors import ModelError
from tarjama.models import is_local, known_models, load_model


def run_cli(*args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "tarjama", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_models_txt_lists_the_default_first():
    models = known_models()
    assert models[0].id == "Helsinki-NLP/opus-mt-ar-en" and models[0].default
    assert "Helsinki-NLP/opus-mt-tc-big-ar-en" in [m.id for m in models]


@pytest.mark.parametrize("name, local", [("Helsinki-NLP/opus-mt-ar-en", False), ("./x", True), ("/tmp/x", True), ("a b", True)])
def test_hub_ids_and_paths(name, local):
    assert is_local(name) is local


def test_local_folder_loads(tiny_model):
    tokenizer, model = load_model(str(tiny_model))
    assert model.config.is_encoder_decoder and tokenizer("قسد")["input_ids"]


def test_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="is not a model folder"):
        load_model(str(tmp_path))
    with pytest.raises(ModelError, match="no such model folder"):
        load_model(str(tmp_path / "missing"))


def test_folder_with_a_non_translation_model(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "architectures": ["BertModel"]}))
    with pytest.raises(ModelError, match=r"not a translation model: its architecture \(bert\)"):
        load_model(str(tmp_path))


def test_incomplete_model_folder(tiny_model, tmp_path):
    for name in ("config.json", "vocab.json", "source.spm", "target.spm", "tokenizer_config.json"):
        (tmp_path / name).write_bytes((tiny_model / name).read_bytes())
    with pytest.raises(ModelError, match="incomplete|cannot be loaded"):
        load_model(str(tmp_path))


@pytest.mark.parametrize(
    "env",
    [
        {"HF_HUB_OFFLINE": "1"},
        # online mode, but the hub is unreachable (a closed local port)
        {"HF_ENDPOINT": "http://127.0.0.1:9"},
    ],
)
def test_not_cached_and_offline_gives_one_clear_line(tmp_path, env, article):
    src = tmp_path / "a.txt"
    src.write_text("قالت قسد", encoding="utf-8")
    r = run_cli("translate", str(src), env_extra={"HF_HOME": str(tmp_path / "hf"), **env})
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Helsinki-NLP/opus-mt-ar-en" in lines[0] and "not in the local cache" in lines[0]
    assert "tarjama models download" in lines[0] and "--model PATH" in lines[0]
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_models_command_shows_cache_state(tmp_path):
    r = run_cli("models", "--json", env_extra={"HF_HOME": str(tmp_path / "hf")})
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0] == {**rows[0], "id": "Helsinki-NLP/opus-mt-ar-en", "default": True, "cached": False}
    # Put a (fake) snapshot of the default model in the cache: it then shows as cached.
    snap = tmp_path / "hf" / "hub" / "models--Helsinki-NLP--opus-mt-ar-en"
    (snap / "refs").mkdir(parents=True)
    (snap / "refs" / "main").write_text("abc")
    (snap / "snapshots" / "abc").mkdir(parents=True)
    for name in ("config.json", "model.safetensors"):
        (snap / "snapshots" / "abc" / name).write_text("{}")
    rows = json.loads(run_cli("models", "--json", env_extra={"HF_HOME": str(tmp_path / "hf")}).stdout)
    assert rows[0]["cached"] is True and rows[1]["cached"] is False


def test_download_offline_is_a_clear_error(tmp_path):
    r = run_cli("models", "download", env_extra={"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"})
    assert r.returncode == 2 and "HF_HUB_OFFLINE is set" in r.stderr and "Traceback" not in r.stderr


def test_download_with_unreachable_hub(tmp_path):
    r = run_cli("models", "download", "Helsinki-NLP/opus-mt-tc-big-ar-en", env_extra={"HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": "http://127.0.0.1:9"})
    assert r.returncode == 2 and "cannot be reached" in r.stderr and "opus-mt-tc-big-ar-en" in r.stderr
