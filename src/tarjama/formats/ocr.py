"""Reading Arabic from a picture of a page with Tesseract (its Arabic data, ``ara``),
through the ``pytesseract`` binding.

Tesseract is a program, not a Python package: when it, its Arabic data or the binding is
missing, reading stops with one line that names what to install. Nothing is ever reported
as translated when nothing was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import BIDI_CONTROLS, DocumentError
from .pdf_layout import Block

INSTALL = (
    "install Tesseract with its Arabic data (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-ara)"
    " and the binding (pip install -e '.[ocr]' in a clone of tarjama)"
)
LANGUAGES = "ara+eng"
_NO_CONTROLS = {ord(c): None for c in BIDI_CONTROLS}
MAX_PIXELS = 60_000_000  # one page image; a 300 dpi A3 page is 17.4 million


@dataclass
class OcrReport:
    pages: int = 0
    words: int = 0
    confidence: list[float] = field(default_factory=list)  # per word, 0-100

    def note(self) -> str:
        mean = sum(self.confidence) / len(self.confidence) if self.confidence else 0.0
        return (
            f"{self.pages} page{'s' if self.pages != 1 else ''} read by OCR (Tesseract, {LANGUAGES}):"
            f" {self.words} word{'s' if self.words != 1 else ''}, mean confidence {mean:.0f}%; check names and numbers against the scan"
        )


def _tesseract(name: str):
    """The pytesseract module, with Tesseract and its Arabic data checked; DocumentError
    (one line, naming what to install) otherwise."""
    try:
        import pytesseract
    except ImportError:
        raise DocumentError(f"{name}: reading a scanned page needs OCR: {INSTALL}") from None
    try:
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        raise DocumentError(f"{name}: reading a scanned page needs OCR: Tesseract is not installed; {INSTALL}") from None
    except pytesseract.TesseractError as e:
        raise DocumentError(f"{name}: Tesseract does not run ({str(e).strip()[:80]}); {INSTALL}") from None
    if "ara" not in languages:
        raise DocumentError(
            f"{name}: Tesseract has no Arabic data; install it (Debian/Ubuntu: apt-get install tesseract-ocr-ara)"
        )
    return pytesseract


def check_available(name: str) -> None:
    _tesseract(name)


def read_image(image, name: str, page: int, report: OcrReport) -> list[Block]:
    """Paragraph blocks read from one page image (a PIL image), in Tesseract's reading order."""
    pytesseract = _tesseract(name)
    if image.width * image.height > MAX_PIXELS:
        raise DocumentError(f"{name}: page {page} is too large to read ({image.width}×{image.height} pixels)")
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    # Automatic page segmentation first; where it finds no text (a small label, a single
    # line on a large blank page), sparse text: whatever words there are.
    for psm in ("3", "11"):
        try:
            data = pytesseract.image_to_data(
                image, lang=LANGUAGES, output_type=pytesseract.Output.DICT, config=f"--psm {psm}", timeout=300
            )
        except RuntimeError as e:  # pytesseract's timeout
            raise DocumentError(f"{name}: OCR of page {page} took too long ({e})") from None
        except pytesseract.TesseractError as e:
            raise DocumentError(f"{name}: OCR of page {page} failed: {str(e).strip()[:120]}") from None
        if any((w or "").strip() and float(c) >= 0 for w, c in zip(data["text"], data["conf"])):
            break
    report.pages += 1
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    heights: dict[tuple[int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").translate(_NO_CONTROLS).strip()  # Tesseract marks directions with LRM/RLM
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i])
        paragraphs.setdefault(key, {}).setdefault(data["line_num"][i], []).append(word)
        heights.setdefault(key, []).append(data["height"][i])
        report.words += 1
        report.confidence.append(conf)
    blocks = []
    for key, lines in paragraphs.items():
        text = " ".join(" ".join(words) for _, words in sorted(lines.items()))
        hs = sorted(heights[key])
        blocks.append(Block("paragraph", text, page=page, size=float(hs[len(hs) // 2]), lines=len(lines)))
    return blocks
