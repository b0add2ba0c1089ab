"""How the cost of the glossary's corpus commands grows with the input: CPU seconds over N
one-word lines (each a glossary term), after start-up, and the ratio per doubling.

    python bench/glossary_scale.py [--sizes 12500,25000,50000,100000] [--json]

Commands, run in-process through the CLI (the shipped glossary):

  find         tarjama glossary find FILE
  concordance  tarjama glossary concordance قسد --in FILE
  stats        tarjama glossary stats --in FOLDER
  check        tarjama check -s FILE -t FILE.en (every line "SDF")

A linear command costs about 2x per doubling of N; a quadratic one 4x (``glossary find``
cost 3.8x per doubling, 6.9 s at 100k lines, before line positions were indexed once).
CPU seconds differ from machine to machine; the ratios are what carries over.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from typer.testing import CliRunner  # noqa: E402

from tarjama.cli import app  # noqa: E402


def cpu(args: list[str]) -> float:
    runner = CliRunner()
    t0 = time.process_time()
    result = runner.invoke(app, args)
    spent = time.process_time() - t0
    if result.exit_code not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: exit {result.exit_code}: {result.stderr[-500:]}")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="12500,25000,50000,100000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    glossary = str(ROOT / "glossary")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cpu(["glossary", "find", "-g", glossary, str(ROOT / "seeds" / "hasakah-prison.ar.txt")])  # warm-up: imports
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            ar, en = folder / "lines.txt", Path(tmp) / f"{n}.en.txt"
            ar.write_text("قسد\n" * n, encoding="utf-8")
            en.write_text("SDF\n" * n, encoding="utf-8")
            row = {"lines": n}
            row["find"] = cpu(["glossary", "find", "-g", glossary, str(ar)])
            row["concordance"] = cpu(["glossary", "concordance", "قسد", "--in", str(ar), "-g", glossary])
            row["stats"] = cpu(["glossary", "stats", "--in", str(folder), "-g", glossary])
            row["check"] = cpu(["check", "-s", str(ar), "-t", str(en), "-g", glossary])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    names = ["find", "concordance", "stats", "check"]
    print(f"{'lines':>8}  " + "  ".join(f"{n:>17}" for n in names))
    for i, row in enumerate(rows):
        cells = []
        for n in names:
            ratio = f"(x{row[n] / rows[i - 1][n]:.2f})" if i else ""
            cells.append(f"{row[n]:7.2f} s {ratio:>8}")
        print(f"{row['lines']:>8}  " + "  ".join(cells))


if __name__ == "__main__":
    main()
