"""The ``tarjama`` command: a thin Typer layer over the Python API.

Commands parse arguments, call the API and print. Errors the user can act on
(:class:`~tarjama.errors.TarjamaError`) become one line on stderr and a non-zero exit
code; results go to stdout, progress and summaries to stderr. Heavy libraries (torch,
transformers) are imported only inside the commands that need them.
"""

from __future__ import annotations

import typer

from . import batch, glossary, score, serve, translate

app = typer.Typer(
    help="Translate Arabic news into English with OPUS-MT, enforcing a domain glossary.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for module in (translate, batch, glossary, score, serve):
    app.registered_commands.extend(module.app.registered_commands)
app.add_typer(translate.models_app, name="models")
app.add_typer(glossary.glossary_app, name="glossary")
app.add_typer(batch.cache_app, name="cache")


def main() -> None:  # console script entry point
    app()
