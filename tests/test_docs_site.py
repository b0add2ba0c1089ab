"""The documentation site: ``mkdocs build --strict`` must pass (a broken link, a page left
out of the navigation or a failing docstring reference fails CI), and the generated
references must come from the code: the CLI reference from the Typer app, the HTTP API
reference from the server's OpenAPI schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import docs_hooks  # noqa: E402  (the site's hooks, at the project root)


def nav_pages(nav) -> list[str]:
    out = []
    for item in nav:
        for value in item.values() if isinstance(item, dict) else [item]:
            out += nav_pages(value) if isinstance(value, list) else [value]
    return out


def test_every_page_is_in_the_navigation():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert sorted(nav_pages(config["nav"])) == pages
    assert config["theme"]["font"] is False  # no fonts fetched from a CDN


def test_the_cli_reference_is_generated_from_the_app():
    from typer.main import get_command

    from tarjama.cli import app

    text = docs_hooks.render_cli()
    root = get_command(app)
    for name, command in root.commands.items():
        assert f"`tarjama {name}`" in text
        for sub in getattr(command, "commands", {}):
            assert f"`tarjama {name} {sub}`" in text
    assert "`tarjama models demo`" in text and "`tarjama models list`" in text
    assert "-i, --hyp" in text.replace("`", "") and "--ray-workers" in text
    assert "\b" not in text and "<list" not in text
    assert "```console\n$ tarjama translate article.ar.txt -o article.en.txt\n" in text  # the epilog's examples


def test_the_http_reference_is_generated_from_the_openapi_schema():
    spec = docs_hooks.openapi_schema()
    text = docs_hooks.render_openapi(spec)
    for path, item in spec["paths"].items():
        for method in item:
            assert f"### `{method.upper()} {path}`" in text
    assert "### `POST /v1/translate`" in text and "### `POST /translate`" in text
    marked = docs_hooks.on_page_markdown("# Serving\n\n<!-- openapi -->\n", None, None, None)
    assert "<!-- openapi -->" not in marked and "`POST /v1/translate`" in marked


def test_the_site_builds_strictly(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "tarjama models demo" in cli and "--ray-workers" in cli
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "Translator" in api and "load_glossary" in api and "check_translation" in api
    assert "/v1/translate" in json.loads((site / "openapi.json").read_text(encoding="utf-8"))["paths"]
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")
