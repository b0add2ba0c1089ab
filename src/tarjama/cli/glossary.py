"""`tarjama glossary ...` and `tarjama check`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from ..text.lines import LineIndex
from .common import GlossaryOption, dump_json, err, examples, handle_errors, pick_glossary, plural

app = typer.Typer()
glossary_app = typer.Typer(help="Find and maintain glossary terms.", no_args_is_help=True)


# -- glossary -----------------------------------------------------------------------------
@glossary_app.command("find")
@handle_errors
def glossary_find(
    file: str = typer.Argument("-", help="Arabic text file; '-' reads stdin."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Print every occurrence of a glossary term in an Arabic text."""
    from ..files import normalize_line_endings, original_offsets, read_document
    from ..glossary.matching import Matcher

    original = read_document(file, keep_line_endings=True)
    text = normalize_line_endings(original)
    matches = Matcher(pick_glossary(glossary, False)).find(text)
    if as_json:
        # Offsets into the file as it is: a CRLF file has a character more per line break.
        to_original = original_offsets(original)
        rows = [{**m.as_dict(), "start": to_original(m.start), "end": to_original(m.end)} for m in matches]
        typer.echo(dump_json(rows), nl=False)
        return
    index = LineIndex(text)  # built once: a line count per match would be quadratic
    for m in matches:
        line, column = index.position(m.start)
        typer.echo(f"{line}:{column}\t{m.text}\t→ {m.target}")
    err(f"{plural(len(matches), 'occurrence')} of {plural(len({m.entry.source for m in matches}), 'term')}")


def line_column(text: str, offset: int) -> str:
    """'3:14': the 1-based line and column of a character offset, as editors count them
    (for one offset; many offsets of one text: :class:`~tarjama.text.lines.LineIndex`)."""
    line, column = LineIndex(text).position(offset)
    return f"{line}:{column}"


def glossary_paths(glossary: Optional[List[Path]]) -> list[Path]:
    from ..glossary.model import default_glossary_paths

    return list(glossary) if glossary else default_glossary_paths()


def write_file(glossary: Optional[List[Path]], name: str, chosen: Optional[Path] = None) -> Path:
    """The file ``add``/``import``/``set`` write: ``chosen`` (--into), else the last -g (a
    folder: ``name`` in it), else ``name`` in the user folder (created when first written)."""
    from ..glossary.model import refuse_shipped, user_glossary_dir, write_target

    if chosen is not None:
        refuse_shipped(chosen)
        return chosen
    target = write_target(glossary, name)
    if not glossary and target.parent == user_glossary_dir() and not os.environ.get("TARJAMA_GLOSSARY"):
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


def existing_glossary(glossary: Optional[List[Path]], file: Path, chosen: bool = False):
    """The glossary a written file belongs to, as readers see it: --glossary; else, for a
    file named with --into, every TSV of its folder; else the default glossary."""
    from ..glossary.model import glossary_files, load_glossary

    if chosen and not glossary:
        return load_glossary([p for p in (file.parent,) if p.is_dir() and any(p.glob("*.tsv"))])
    paths = glossary_paths(glossary)
    # The folder being written to may not hold a TSV yet: nothing to check against then.
    paths = [p for p in paths if p.is_file() or p.is_dir() and any(p.glob("*.tsv"))]
    loaded = {f.resolve() for f in glossary_files(paths)}
    if not glossary and file.parent.is_dir():
        extra = [f for f in sorted(file.parent.glob("*.tsv")) if f.is_file() and f.resolve() not in loaded]
        paths += extra
    return load_glossary(paths)


def describe_entry(e) -> str:
    lines = [f"{e.source} → {e.target}", f"  file:      {e.origin}"]
    if e.variants:
        lines.append(f"  variants:  {' | '.join(e.variants)}")
    if e.alternatives:
        lines.append(f"  accepted:  {' | '.join(e.alternatives)}")
    if e.forbidden:
        lines.append(f"  forbidden: {' | '.join(e.forbidden)}")
    if e.note:
        lines.append(f"  note:      {e.note}")
    if e.plural:
        lines.append(f"  plural:    {e.plural}")
    if e.adjective:
        lines.append(f"  adjective: {e.adjective}")
    if e.rules:
        lines.append(f"  rules:     {' '.join(e.rules)}")
    if e.context:
        lines.append(f"  context:   {' | '.join(c.text for c in e.context)}")
    return "\n".join(lines)


def split_list(value: Optional[str]) -> Optional[list[str]]:
    return None if value is None else [v.strip() for v in value.split("|") if v.strip()]


@glossary_app.command("path")
@handle_errors
def glossary_path(
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Which glossary files are loaded (in order: later ones override earlier ones), and the
    file that `add`, `set` and `import` write to."""
    from collections import Counter

    from ..glossary.model import (
        IMPORT_FILE, USER_FILE, glossary_files, is_shipped, legacy_files, shipped_glossary_dir, user_glossary_dir, write_target,
    )

    paths = glossary_paths(glossary)
    g = pick_glossary(glossary, False, quiet=True)
    per_file = Counter(e.file for e in g)
    legacy = {str(f) for f in legacy_files()}
    rows = []
    for f in glossary_files(paths):
        role = "shipped, read-only" if is_shipped(f) else ("yours, in the old place" if str(f) in legacy else "yours")
        rows.append({"file": str(f), "entries": per_file.get(str(f), 0), "role": role})
    data = {
        "files": rows,
        "writes_to": str(write_target(glossary, USER_FILE)),
        "imports_to": str(write_target(glossary, IMPORT_FILE)),
        "shipped": str(shipped_glossary_dir() or ""),
        "user_folder": str(user_glossary_dir()),
        "source": "--glossary" if glossary else ("$TARJAMA_GLOSSARY" if os.environ.get("TARJAMA_GLOSSARY") else "default"),
    }
    if as_json:
        typer.echo(dump_json(data), nl=False)
        return
    typer.echo(f"loaded ({data['source']}; later files override earlier ones):")
    for r in rows:
        typer.echo(f"  {r['entries']:5d}  {r['file']}  ({r['role']})")
    if not rows:
        typer.echo("  (no files)")
    typer.echo(f"add/set write to:  {data['writes_to']}")
    typer.echo(f"import writes to:  {data['imports_to']}")


@glossary_app.command("list")
@handle_errors
def glossary_list(
    search: Optional[str] = typer.Option(None, "--search", help="Arabic (any spelling) or English text."),
    from_file: Optional[Path] = typer.Option(None, "--from", help="Only the entries from this glossary file."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    # Older names, kept working: -s is --source elsewhere, --file means "write to" elsewhere.
    search_alias: Optional[str] = typer.Option(None, "-s", hidden=True),
    file_alias: Optional[Path] = typer.Option(None, "--file", hidden=True),
):
    """List glossary entries, optionally only those matching a search."""
    from ..text.arabic import has_arabic, normalize

    search = search or search_alias
    file = from_file or file_alias

    entries = list(pick_glossary(glossary, False))
    if file is not None:
        entries = [e for e in entries if Path(e.file).resolve() == file.resolve()]
    if search:
        if has_arabic(search):
            key = normalize(search)
            entries = [e for e in entries if any(key in normalize(f) for f in e.forms)]
        else:
            key = search.lower()
            entries = [e for e in entries if any(key in t.lower() for t in (e.target, *e.forbidden, e.note))]
    if as_json:
        typer.echo(dump_json([e.as_dict() for e in entries]), nl=False)
        return
    for e in entries:
        extra = f"  (forbidden: {', '.join(e.forbidden)})" if e.forbidden else ""
        typer.echo(f"{e.source}\t{e.target}{extra}\t{e.origin}")
    err(plural(len(entries), "entry"))


@glossary_app.command("show")
@handle_errors
def glossary_show(
    term: str = typer.Argument(..., help="Arabic source or variant (any spelling), or the English target."),
    in_file: Optional[Path] = typer.Option(None, "--in", help="Also list where it occurs in this Arabic text."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Show one entry: its file, variants, forbidden renderings, note, and occurrences."""
    from ..files import read_document
    from ..glossary.model import GlossaryError
    from ..glossary.matching import Matcher

    g = pick_glossary(glossary, False)
    entry = g.lookup(term) or next((e for e in g if e.target.lower() == term.lower()), None)
    if entry is None:
        raise GlossaryError(f"no glossary entry for {term!r}")
    occurrences = []
    if in_file is not None:
        text = read_document(in_file)
        # Match with the whole glossary, so a longer entry still wins as in translation.
        occurrences = [m for m in Matcher(g).find(text) if m.entry is entry]
    if as_json:
        data = entry.as_dict()
        if in_file is not None:
            data["occurrences"] = [m.as_dict() for m in occurrences]
        typer.echo(dump_json(data), nl=False)
        return
    typer.echo(describe_entry(entry))
    if in_file is not None:
        typer.echo(f"  in {in_file}: {plural(len(occurrences), 'occurrence')}")
        index = LineIndex(text)
        for m in occurrences:
            line, column = index.position(m.start)
            typer.echo(f"    line {line}, column {column}: {(m.clitic + '+') if m.clitic else ''}{m.text}")


@glossary_app.command("add")
@handle_errors
def glossary_add(
    source: str = typer.Argument(..., help="The Arabic term."),
    target: str = typer.Argument(..., help="Its English rendering."),
    variants: Optional[str] = typer.Option(None, "--variants", help="Other Arabic spellings, A|B."),
    forbidden: Optional[str] = typer.Option(None, "--forbidden", help="English renderings not to use, X|Y."),
    alternatives: Optional[str] = typer.Option(None, "--alternatives", help="Other English renderings that are accepted, X|Y."),
    note: str = typer.Option("", "--note", help="A note for translators."),
    plural: str = typer.Option("", "--plural", help="The English plural, when not the target + s (e.g. 'people')."),
    adjective: str = typer.Option("", "--adjective", help="A country's English adjective, enforced where the Arabic stands as a nisba ('Syrian')."),
    rules: str = typer.Option("", "--rules", help="Matcher rules switched on or off for this entry: '-number +article'."),
    context: str = typer.Option("", "--context", help="Where a form may match: 'FORM: not-after WORD | not-adjective'."),
    into: Optional[Path] = typer.Option(
        None, "--into", help="The TSV to add to (default: custom.tsv in the last -g folder, else in your user glossary folder; see `tarjama glossary path`)."
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace an existing entry for the same source."),
    glossary: Optional[List[Path]] = GlossaryOption,
    file_alias: Optional[Path] = typer.Option(None, "--file", hidden=True),  # the older name of --into
):
    """Add an entry; refuses a source that already exists (in any spelling) unless --replace."""
    from ..glossary.model import USER_FILE, Entry
    from ..glossary.tools.edit import add_entry, changer

    file = write_file(glossary, USER_FILE, into or file_alias)
    existing = existing_glossary(glossary, file, chosen=(into or file_alias) is not None)
    entry = Entry(
        source.strip(), target.strip(), tuple(split_list(variants) or ()), tuple(split_list(forbidden) or ()), note.strip(),
        alternatives=tuple(split_list(alternatives) or ()),
    )
    entry = changer(plural=plural, rules=rules, context=context, adjective=adjective)(entry)
    written, old = add_entry(file, entry, existing, replace)
    where = old.file if old is not None else file
    typer.echo(f"{'replaced' if old else 'added'}: {written.source} → {written.target} ({where})")


@glossary_app.command("remove")
@handle_errors
def glossary_remove(
    source: str = typer.Argument(..., help="The Arabic source (or a variant) of the entry."),
    glossary: Optional[List[Path]] = GlossaryOption,
):
    """Remove an entry from the file it is in."""
    from ..glossary.model import GlossaryError
    from ..glossary.tools.edit import remove_entry

    from ..glossary.model import is_shipped

    entry = pick_glossary(glossary, False, quiet=True).lookup(source)
    if entry is None:
        raise GlossaryError(f"no glossary entry for {source!r}")
    if is_shipped(entry.file):
        raise GlossaryError(
            f"{entry.source!r} is in the glossary shipped with tarjama ({entry.origin}), which is read-only;"
            " override it with `tarjama glossary set` or `add --replace`"
        )
    old = remove_entry(Path(entry.file), entry.source)
    typer.echo(f"removed: {old.source} → {old.target} ({old.origin})")
    still = pick_glossary(glossary, False, quiet=True).lookup(source)
    if still is not None:  # it was an override: another file still defines the term
        err(f"note: {still.source!r} is still defined in {still.origin} ({still.source} → {still.target})")


@glossary_app.command("set")
@handle_errors
def glossary_set(
    source: str = typer.Argument(..., help="The Arabic source (or a variant) of the entry."),
    target: Optional[str] = typer.Option(None, "--target", help="New English target."),
    variants: Optional[str] = typer.Option(None, "--variants", help="New variants, A|B ('' clears)."),
    forbidden: Optional[str] = typer.Option(None, "--forbidden", help="New forbidden renderings, X|Y ('' clears)."),
    alternatives: Optional[str] = typer.Option(None, "--alternatives", help="New accepted alternatives, X|Y ('' clears)."),
    note: Optional[str] = typer.Option(None, "--note", help="New note ('' clears)."),
    plural: Optional[str] = typer.Option(None, "--plural", help="New English plural ('' derives it from the target)."),
    adjective: Optional[str] = typer.Option(None, "--adjective", help="New English adjective of a country ('' clears)."),
    rules: Optional[str] = typer.Option(None, "--rules", help="New matcher rule switches, '-number +article' ('' clears)."),
    context: Optional[str] = typer.Option(None, "--context", help="New context restrictions, 'FORM: not-after WORD | ...' ('' clears)."),
    glossary: Optional[List[Path]] = GlossaryOption,
):
    """Edit fields of an entry in place, changing only its line (an entry of the shipped
    glossary is overridden in your own file instead)."""
    from dataclasses import replace as replaced

    from ..glossary.model import USER_FILE, GlossaryError, is_shipped
    from ..glossary.tools.edit import add_entry, changer, set_fields

    fields = dict(
        target=target, variants=split_list(variants), forbidden=split_list(forbidden), note=note,
        alternatives=split_list(alternatives), plural=plural, rules=rules, context=context, adjective=adjective,
    )
    if all(v is None for v in fields.values()):
        raise GlossaryError(
            "nothing to set: give --target, --variants, --forbidden, --alternatives, --note, --plural, --adjective, --rules or --context"
        )
    entry = pick_glossary(glossary, False, quiet=True).lookup(source)
    if entry is None:
        raise GlossaryError(f"no glossary entry for {source!r}")
    if is_shipped(entry.file):
        file = write_file(glossary, USER_FILE)
        new = replaced(changer(**fields)(entry), file="", line=0)
        new, _ = add_entry(file, new, existing_glossary(glossary, file), replace_existing=True)
        err(f"note: {entry.source!r} is in the shipped glossary ({entry.origin}); your version overrides it from {file}")
        new = pick_glossary(glossary, False, quiet=True).lookup(new.source) or new
    else:
        new = set_fields(Path(entry.file), entry.source, **fields)
    typer.echo(describe_entry(new))
    for name, before, after in (("variants", entry.variants, new.variants), ("forbidden", entry.forbidden, new.forbidden)):
        dropped = [v for v in before if v not in after]
        if dropped:  # --forbidden X sets the list, it does not add to it: say what went
            err(f"note: --{name} replaces the whole list; removed: {' | '.join(dropped)}")


@glossary_app.command("lint")
@handle_errors
def glossary_lint(
    glossary: Optional[List[Path]] = GlossaryOption,
    in_corpus: Optional[Path] = typer.Option(
        None, "--in", help="A folder of Arabic documents (.txt, .md, .html, .docx …, recursively) or one file: how often each form is an ordinary word."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Check glossary files for conflicts, dead entries and mistakes; exit 1 on errors."""
    from ..errors import InputError
    from ..glossary.tools.lint import lint

    from ..glossary.tools.corpus import corpus_files

    corpus: list[Path] = corpus_files(in_corpus) if in_corpus is not None else []
    findings = lint(glossary_paths(glossary), corpus, str(in_corpus) if in_corpus is not None else "")
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level != "error"]
    if as_json:
        typer.echo(dump_json([f.as_dict() for f in findings]), nl=False)
    else:
        for title, group in (("errors", errors), ("warnings", warnings)):
            if group:
                typer.echo(f"{title}:")
                for f in group:
                    typer.echo(f"  {f.describe()}")
        err(f"{plural(len(errors), 'error')}, {plural(len(warnings), 'warning')}")
    raise typer.Exit(1 if errors else 0)


@glossary_app.command("export")
@handle_errors
def glossary_export(
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", help="tsv, csv, tbx (TBX-Basic), deepl, amazon or google (default: from -o, else tsv)."
    ),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here (atomically) instead of stdout."),
    glossary: Optional[List[Path]] = GlossaryOption,
):
    """Export the glossary: TSV, CSV, TBX-Basic (OmegaT, memoQ, Trados), or a DeepL, Amazon Translate or Google glossary."""
    from ..glossary.tools import vendor
    from ..glossary.tools.interchange import export_text, guess_format
    from .common import emit

    chosen = guess_format(output, fmt) if output is not None and fmt is None else (fmt or "tsv")
    chosen = guess_format("x", chosen)
    from ..files import refuse_same_file

    g = pick_glossary(glossary, False, quiet=True)
    for f in g.files:
        refuse_same_file(output, f)
    entries = list(g)
    emit(export_text(entries, chosen), output)
    if output is not None:
        err(f"exported {plural(len(entries), 'entry')} to {output}")
    if chosen in vendor.FORMATS and (lost := vendor.dropped(entries)):
        err(f"note: {vendor.NAMES[chosen]} glossaries hold term pairs only: the forbidden renderings, alternatives and notes of {lost} entries are left out")


@glossary_app.command("import")
@handle_errors
def glossary_import(
    file: Path = typer.Argument(..., help="A glossary file: TSV, CSV (any common header, or none), TBX v2 or v3."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="tsv, csv, tbx, deepl, amazon or google (default: from the file name)."),
    into: Optional[Path] = typer.Option(None, "--into", help="The TSV to import into (default: imported.tsv in the last -g folder, else in your user glossary folder)."),
    on_conflict: Optional[str] = typer.Option(
        None, "--on-conflict", help="The same Arabic term with another target, in the file or the folder: error (default), keep-first, keep-last or skip."
    ),
    replace: bool = typer.Option(False, "--replace", help="Same as --on-conflict keep-last."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be added, replaced and skipped, and why; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Refuse a file with rows that cannot be entries, instead of skipping them."),
    source_column: Optional[str] = typer.Option(None, "--source-column", help="The Arabic column of a CSV/TSV: its header name or number (1 = first)."),
    target_column: Optional[str] = typer.Option(None, "--target-column", help="The English column of a CSV/TSV: its header name or number."),
    deprecated_variants: bool = typer.Option(
        False, "--deprecated-variants", help="TBX: match deprecated and forbidden Arabic terms as variants (by default they are reported and left out)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    glossary: Optional[List[Path]] = GlossaryOption,
):
    """Import a glossary file; rows that cannot be entries are skipped and listed (--strict refuses)."""
    from ..glossary.tools.edit import ON_CONFLICT, import_entries
    from ..glossary.tools.interchange import read_file
    from ..glossary.model import GlossaryError

    policy = on_conflict or ("keep-last" if replace else "error")
    if policy not in ON_CONFLICT:
        raise GlossaryError(f"--on-conflict {policy!r}: choose from {', '.join(ON_CONFLICT)}")
    result = read_file(
        file, fmt, on_conflict=policy, strict=strict, source_column=source_column, target_column=target_column,
        deprecated_variants=deprecated_variants,
    )
    from ..glossary.model import IMPORT_FILE

    chosen = into is not None
    into = write_file(glossary, IMPORT_FILE, into)
    existing = existing_glossary(glossary, into, chosen=chosen)
    plan = import_entries(into, result.entries, existing, on_conflict=policy, dry_run=dry_run)
    skipped = [s.describe() for s in result.skipped] + [
        f"{new.origin}: conflict: {new.source} → {new.target!r}; keeps {old.origin} → {old.target!r} (--on-conflict {policy})"
        for old, new in plan.kept
    ]
    counts = (
        f"{len(plan.added)} added, {len(plan.replaced)} replaced, {len(plan.unchanged)} already there, {len(skipped)} skipped"
    )
    if as_json:
        typer.echo(dump_json({
            "into": str(into), "dry_run": dry_run,
            "added": [e.as_dict() for e in plan.added],
            "replaced": [{"old": o.as_dict(), "new": n.as_dict()} for o, n in plan.replaced],
            "unchanged": [e.source for e in plan.unchanged],
            "skipped": skipped, "notices": result.notices, "merged": result.merged,
        }), nl=False)
        return
    for notice in result.notices:
        err(notice)
    if dry_run:
        for e in plan.added:
            typer.echo(f"add      {e.source} → {e.target}")
        for old, new in plan.replaced:
            typer.echo(f"replace  {new.source} → {new.target} (was {old.target!r}, {old.origin})")
        for line in skipped:
            typer.echo(f"skip     {line}")
        err(f"dry run, nothing written; {into} would get: {counts}")
        return
    for line in skipped:
        err(f"skipped {line}")
    typer.echo(f"imported into {into}: {counts}")


@glossary_app.command("stats")
@handle_errors
def glossary_stats(
    in_folder: Optional[Path] = typer.Option(None, "--in", help="A folder of Arabic documents (.txt, .md, .html, .docx …, recursively)."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Entries per file; with --in, how often each entry occurs in a corpus, and which never do."""
    from collections import Counter

    from ..errors import InputError
    from ..glossary.matching import count_terms
    from ..glossary.tools.corpus import corpus_files, read_text

    g = pick_glossary(glossary, False, quiet=True)
    per_file = Counter(e.file for e in g)
    data: dict = {"files": dict(per_file), "entries": len(g)}
    if in_folder is not None:
        if not in_folder.is_dir():
            raise InputError(f"{in_folder} is not a folder")
        files = corpus_files(in_folder)
        counts = count_terms((read_text(p) for p in files), g)
        data["corpus"] = {"folder": str(in_folder), "files": len(files), "occurrences": counts}
        data["never"] = [source for source, n in counts.items() if n == 0]
    if as_json:
        typer.echo(dump_json(data), nl=False)
        return
    for name, n in per_file.items():
        typer.echo(f"{n:5d}  {name}")
    typer.echo(f"{len(g):5d}  entries in all")
    if in_folder is not None:
        typer.echo(f"\nin {in_folder} ({data['corpus']['files']} files):")
        for source, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            if n:
                target = g.lookup(source).target
                typer.echo(f"{n:5d}  {source} → {target}")
        typer.echo(f"never found ({len(data['never'])}): {', '.join(data['never'])}")


@glossary_app.command("concordance")
@handle_errors
def glossary_concordance(
    term: str = typer.Argument(..., help="An Arabic term: a glossary source or variant (any spelling), or any Arabic text."),
    corpus: Path = typer.Option(..., "--in", help="A folder of Arabic documents (.txt, .md, .html, .docx …, recursively) or one file."),
    loose: bool = typer.Option(False, "--loose", help="Also show near misses: loose-search hits the matcher does not find."),
    words: int = typer.Option(6, "--words", min=0, help="Words of context on each side."),
    limit: Optional[int] = typer.Option(None, "--limit", min=0, help="Show at most this many lines (counts are of all)."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Key word in context: every place a term occurs in a corpus, with counts per written form."""
    from ..glossary.tools.corpus import concordance, read_corpus

    g = pick_glossary(glossary, False, quiet=True)
    c = concordance(term, read_corpus(corpus), g, loose=loose, words=words)
    shown = c.hits if limit is None else c.hits[:limit]
    if as_json:
        data = c.as_dict()
        data["hits"] = [h.as_dict() for h in shown]
        typer.echo(dump_json(data), nl=False)
        return
    width = max((len(h.left) for h in shown), default=0)
    for h in shown:
        mark = " " if h.matched else "?"
        typer.echo(f"{h.doc}:{h.line}\t{mark} {h.left:>{width}} [{h.form}] {h.right}")
    what = f"{c.entry.source} → {c.entry.target}" if c.term_in_glossary else f"{c.term} (not in the glossary)"
    err(f"{what}: {len(c.matched)} matches in {len({h.doc for h in c.matched})} of {c.files} files")
    for form, n in c.forms().most_common():
        err(f"  {n:5d}  {form}")
    if loose:
        err(f"{len(c.near_misses)} near misses (marked ?): loose-search hits the matcher does not find")


@glossary_app.command("suggest")
@handle_errors
def glossary_suggest(
    corpus: Path = typer.Option(..., "--in", help="A folder of Arabic documents (.txt, .md, .html, .docx …, recursively) or one file."),
    min_count: int = typer.Option(5, "--min", min=1, help="Propose only what occurs at least this often."),
    limit: int = typer.Option(30, "--limit", min=1, help="At most this many proposals of each kind."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Propose, for a person to accept: variants of entries that the matcher misses, and
    frequent names (after مدينة، تنظيم، الرئيس …) that no entry covers."""
    from ..glossary.tools.corpus import suggest, read_corpus

    g = pick_glossary(glossary, False, quiet=True)
    found = suggest(read_corpus(corpus), g, min_count=min_count, limit=limit)
    if as_json:
        typer.echo(dump_json([s.as_dict() for s in found]), nl=False)
        return
    variants = [s for s in found if s.kind == "variant"]
    names = [s for s in found if s.kind == "name"]
    if variants:
        typer.echo("variants the matcher misses (add with `tarjama glossary set SOURCE --variants ...`):")
        for s in variants:
            typer.echo(f"{s.count:6d}  {s.text}\t→ {s.entry} ({s.target})")
            for ex in s.examples[:1]:
                typer.echo(f"          {ex}")
    if names:
        typer.echo("frequent names with no entry (add with `tarjama glossary add SOURCE TARGET`):")
        for s in names:
            typer.echo(f"{s.count:6d}  {s.text}\t({s.entry})")
            for ex in s.examples[:1]:
                typer.echo(f"          {ex}")
    err(f"{len(variants)} variant and {len(names)} name proposals")


# -- check --------------------------------------------------------------------------------
@app.command(epilog=examples(
    "tarjama check -s article.ar.txt -i article.en.txt",
    "tarjama check -s article.ar.txt -i article.en.txt --fix article.fixed.txt",
))
@handle_errors
def check(
    source: Path = typer.Option(..., "--source", "-s", help="The Arabic original."),
    translation: Path = typer.Option(..., "--hyp", "-i", "--translation", "-t", help="Its English translation, line-aligned."),
    glossary: Optional[List[Path]] = GlossaryOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    fix: Optional[Path] = typer.Option(None, "--fix", help="Write a corrected translation here."),
):
    """Check a translation against the glossary: missing terms and forbidden renderings.

    Exit code 0 when clean, 1 when violations remain, 2 on bad input.
    """
    from ..quality.check import check_translation, fix_translation
    from ..files import read_document, write_atomic

    from ..files import refuse_same_file

    refuse_same_file(fix, source)
    refuse_same_file(fix, translation)
    g = pick_glossary(glossary, False)
    if str(source) == "-" and str(translation) == "-":
        from ..errors import InputError

        raise InputError("--source and --translation cannot both be '-': standard input can be read only once")
    src, tgt = read_document(source), read_document(translation)
    problems = check_translation(src, tgt, g)
    if fix is not None:
        fixed, remaining = fix_translation(src, tgt, g)
        write_atomic(fix, fixed)
        err(f"wrote {fix}: fixed {len(problems) - len(remaining)}, {len(remaining)} left")
        problems = remaining
    if as_json:
        typer.echo(dump_json([p.as_dict() for p in problems]), nl=False)
    else:
        for p in problems:
            typer.echo(p.describe())
        err(plural(len(problems), "violation") if problems else "no violations")
    raise typer.Exit(1 if problems else 0)
