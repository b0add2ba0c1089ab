"""MkDocs hooks for tarjama's documentation site (see mkdocs.yml).

The command-line reference is generated from the Typer application by Typer's own
documentation generator (the engine of ``typer … utils docs``): a line
``<!-- cli-reference -->`` is replaced by every command with its arguments, options and
examples, exactly as ``--help`` shows them; nothing is copied by hand.

The HTTP API reference is generated from the server's own OpenAPI schema: a line
``<!-- openapi -->`` in any page is replaced by the reference of every endpoint, and the
schema itself is written to the site as ``openapi.json``. No model is loaded: the schema
comes from ``create_app`` alone.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKER = "<!-- openapi -->"
CLI_MARKER = "<!-- cli-reference -->"
METHODS = ("get", "post", "put", "patch", "delete")


def openapi_schema() -> dict:
    from tarjama.server.app import create_app
    from tarjama.server.settings import ServerSettings

    return create_app(None, ServerSettings()).openapi()


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        for part in ref.lstrip("#/").split("/"):
            schema = schema[part]
        return schema
    return node


def _type(spec: dict, node: dict) -> str:
    node = node or {}
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        return " or ".join(_type(spec, n) for n in node["anyOf"])
    if node.get("type") == "array":
        return f"array of {_type(spec, node.get('items', {}))}"
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    return node.get("type", "any")


def _cell(text) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _fields_table(spec: dict, body: dict) -> list[str]:
    body = _resolve(spec, body)
    props = body.get("properties") or {}
    if not props:
        return []
    required = set(body.get("required") or [])
    rows = ["| field | type | required | description |", "|---|---|---|---|"]
    for name, node in props.items():
        rows.append(f"| `{name}` | {_cell(_type(spec, node))} | {'yes' if name in required else ''} | {_cell(node.get('description') or node.get('title'))} |")
    return rows


def render_openapi(spec: dict) -> str:
    """The API reference as Markdown: one section per endpoint, with its parameters,
    request body fields and responses."""
    out = [f"*{_cell(spec['info'].get('title'))} {spec['info'].get('version', '')}: generated from the server's "
           "OpenAPI schema; the schema itself: [openapi.json](openapi.json).*", ""]
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            out += [f"### `{method.upper()} {path}`", ""]
            if op.get("summary"):
                out += [_cell(op["summary"]), ""]
            if op.get("description"):
                out += [op["description"].strip(), ""]
            params = op.get("parameters") or []
            if params:
                out += ["| parameter | in | type | required | description |", "|---|---|---|---|---|"]
                for p in params:
                    out.append(f"| `{p['name']}` | {p.get('in', '')} | {_cell(_type(spec, p.get('schema')))} | "
                               f"{'yes' if p.get('required') else ''} | {_cell(p.get('description'))} |")
                out.append("")
            for media, content in (op.get("requestBody") or {}).get("content", {}).items():
                out += [f"Request body (`{media}`):", ""]
                table = _fields_table(spec, content.get("schema", {}))
                out += (table or [f"{_cell(_type(spec, content.get('schema')))}"]) + [""]
            responses = op.get("responses") or {}
            if responses:
                out += ["| response | description |", "|---|---|"]
                out += [f"| {code} | {_cell(r.get('description'))} |" for code, r in responses.items()]
                out.append("")
    return "\n".join(out)


def render_cli() -> str:
    """The command-line reference as Markdown, from the Typer app."""
    import typer
    import typer.main
    from typer.cli import get_docs_for_click

    from tarjama.cli import app
    from tarjama.cli.common import name_metavars

    command = typer.main.get_command(app)
    name_metavars(command)  # the metavars --help shows (FILE, PATH …), not Python's types
    ctx = typer.Context(command, info_name="tarjama")
    text = get_docs_for_click(obj=command, ctx=ctx, indent=1, name="tarjama", title="`tarjama`")
    # The "Examples:" epilogs are kept as written in --help (\b stops click re-wrapping them):
    # here they become code blocks.
    out, lines = [], text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "\bExamples:" or (lines[i] == "\b" and i + 1 < len(lines) and lines[i + 1] == "Examples:"):
            i += 1 if lines[i] == "\bExamples:" else 2
            block = []
            while i < len(lines) and lines[i].startswith("  "):
                block.append(lines[i].strip())
                i += 1
            out += ["**Examples**:", "", "```console", *(f"$ {b}" for b in block), "```"]
            continue
        out.append(lines[i].replace("\b", ""))
        i += 1
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, render_cli())
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render_openapi(openapi_schema()))
    return markdown


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    (site / "openapi.json").write_text(json.dumps(openapi_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
