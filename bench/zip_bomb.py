"""A zip bomb against the document formats: a real .docx of the tests with 1 GiB of zeros
added as one entry (about 1 MB on disk), extracted as ``tarjama translate`` would.

Prints the bomb's size, how long the refusal took and the process's peak memory. Before
the archive limits (formats/archive.py) the same file was inflated whole: 2.1-2.5 GB peak
memory and the bomb written back out. Run: ``python bench/zip_bomb.py [MiB]``.
"""

from __future__ import annotations

import io
import resource
import sys
import time
import zipfile
from pathlib import Path

from tarjama.formats import DocumentError, extract

SOURCE = Path(__file__).parent.parent / "tests" / "data" / "formats" / "sky-news-france-syria.ar.docx"


def bomb(mib: int) -> bytes:
    source = zipfile.ZipFile(SOURCE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with target.open("word/media/zeros.bin", "w") as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(mib):
                f.write(chunk)
    return out.getvalue()


def main() -> None:
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    data = bomb(mib)
    started = time.perf_counter()
    try:
        extract(data, "bomb.docx")
        outcome = "extracted (no limit!)"
    except DocumentError as e:
        outcome = e.message
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bomb: {len(data):,} bytes holding {mib} MiB of zeros")
    print(f"{outcome}\n{seconds:.3f} s, peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
