"""A damaged model folder gives one line that names the file and says what to do, never a
traceback: weights, SentencePiece models, vocabulary, tokenizer and model configuration, and
a converted CTranslate2 model in the cache."""

import shutil

import pytest

from tarjama.cli import app


def damage(path, how):
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 3], "garbage": b"\x00not a model\xff" * 8, "empty": b""}[how])


@pytest.fixture
def broken(tiny_model, tmp_path):
    def make(name, how):
        folder = tmp_path / f"model-{name}-{how}"
        shutil.copytree(tiny_model, folder)
        damage(folder / name, how)
        return folder

    return make


@pytest.fixture
def source(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("قالت قسد إن داعش هاجم", encoding="utf-8")
    return src


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
@pytest.mark.parametrize(
    "name, how",
    [
        ("model.safetensors", "truncated"),
        ("model.safetensors", "garbage"),
        ("source.spm", "garbage"),
        ("source.spm", "truncated"),
        ("target.spm", "empty"),
        ("vocab.json", "truncated"),
        ("tokenizer_config.json", "garbage"),
        ("config.json", "truncated"),
    ],
)
def test_damaged_file_is_named_in_one_line(runner, broken, source, engine, name, how):
    folder = broken(name, how)
    r = runner.invoke(app, ["translate", str(source), "--model", str(folder), "--engine", engine, "--beams", "1"])
    assert r.exit_code == 2, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert str(folder / name) in lines[0] and "damaged" in lines[0]
    assert "copy or save the model folder again" in lines[0]
    assert r.stdout == ""


def test_missing_weights_named(runner, tiny_model, tmp_path, source):
    folder = tmp_path / "no-weights"
    shutil.copytree(tiny_model, folder)
    (folder / "model.safetensors").unlink()
    for engine in ("transformers", "ctranslate2"):
        r = runner.invoke(app, ["translate", str(source), "--model", str(folder), "--engine", engine])
        assert r.exit_code == 2 and "no weights (model.safetensors or pytorch_model.bin)" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


def test_damaged_pytorch_bin_named(tiny_model, tmp_path):
    from tarjama.errors import ModelError
    from tarjama.models import load_model

    folder = tmp_path / "bin"
    shutil.copytree(tiny_model, folder)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(ModelError, match=r"pytorch_model.bin: the weights file is damaged"):
        load_model(str(folder))


def test_a_hub_model_is_told_to_download_again(tiny_model, tmp_path):
    from tarjama.errors import ModelError
    from tarjama.model_files import check_model_files

    folder = tmp_path / "snapshot"
    shutil.copytree(tiny_model, folder)
    damage(folder / "model.safetensors", "truncated")
    with pytest.raises(ModelError, match=r"download the model again with `tarjama models download Helsinki-NLP/opus-mt-ar-en`"):
        check_model_files(folder, "Helsinki-NLP/opus-mt-ar-en", "Helsinki-NLP/opus-mt-ar-en")


def test_damaged_ctranslate2_conversion_in_the_cache(runner, tiny_model, source):
    from tarjama.engines.ctranslate2 import converted_folder

    converted = converted_folder(str(tiny_model), True, "int8")
    damage(converted / "model.bin", "truncated")
    r = runner.invoke(app, ["translate", str(source), "--model", str(tiny_model), "--engine", "ctranslate2", "--beams", "1"])
    assert r.exit_code == 2, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(converted / "model.bin") in lines[0], r.stderr
    assert f"delete the folder {converted}" in lines[0]
