"""Progress belongs on a terminal: piped stderr carries no bars."""

import os
import subprocess
import sys


def test_ctranslate2_conversion_draws_no_bar_when_stderr_is_not_a_terminal(tiny_model, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("قالت قسد إن الهجوم بدأ\n", encoding="utf-8")
    env = {**os.environ, "TARJAMA_CACHE_DIR": str(tmp_path / "fresh")}  # the model is converted in this run
    r = subprocess.run(
        [sys.executable, "-m", "tarjama", "translate", str(src), "--model", str(tiny_model), "--engine", "ctranslate2"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "fresh" / "ct2").is_dir()
    assert "Loading" not in r.stderr and "%|" not in r.stderr and "\r" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0] == "engine: ctranslate2 int8 on cpu (chosen with --engine)"  # and the summary
