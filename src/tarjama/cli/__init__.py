"""The ``tarjama`` command: a thin Typer layer over the Python API.

Commands parse arguments, call the API and print. Errors the user can act on
(:class:`~tarjama.errors.TarjamaError`) become one line on stderr and a non-zero exit
code; results go to stdout, progress and summaries to stderr. Heavy libraries (torch,
transformers) are imported only inside the commands that need them.
"""

from __future__ import annotations

from typing import Optional

import typer

from . import batch, glossary, models, score, serve, translate
from .common import CONTEXT, OneLineErrors, examples, version_callback

app = typer.Typer(
    cls=OneLineErrors,
    help="Translate Arabic news into English with OPUS-MT, enforcing a domain glossary.",
    epilog=examples("tarjama translate article.ar.txt -o article.en.txt", "tarjama glossary find article.ar.txt", "tarjama translate -h"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: "[fast]" stays "[fast]", no boxes
    context_settings=CONTEXT,
)


@app.callback()
def root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=version_callback, is_eager=True, help="Print the version and exit."
    ),
):
    """Translate Arabic news into English with OPUS-MT, enforcing a domain glossary."""


for module in (translate, batch, glossary, score, serve):
    app.registered_commands.extend(module.app.registered_commands)
app.add_typer(models.models_app, name="models")
app.add_typer(glossary.glossary_app, name="glossary")
app.add_typer(batch.cache_app, name="cache")


def main() -> None:  # console script entry point
    app(prog_name="tarjama")
