"""Scanned pages as images (.png, .jpg, .tiff; every page of a multi-page TIFF): read by
Tesseract (``ocr``) and translated into a new document (.docx by default, .md or .html by
the output's suffix), like a scanned PDF."""

from __future__ import annotations

import io

from .base import DocumentError, DocumentFormat, Extracted
from .layout_writers import OUTPUTS, layout_extracted
from .ocr import MAX_PIXELS, OcrReport, check_available, read_image

MAX_FRAMES = 500


class ImageFormat(DocumentFormat):
    name = "image"
    suffixes = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
    binary = True
    outputs = OUTPUTS

    def extract(self, data: bytes, name: str) -> Extracted:
        from PIL import Image, ImageSequence, UnidentifiedImageError

        check_available(name)  # one line naming what to install, before anything else
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise DocumentError(f"{name}: the image is too large to read ({image.width}×{image.height} pixels)")
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_FRAMES:
                raise DocumentError(f"{name}: {frames} pages; at most {MAX_FRAMES} are read")
            report = OcrReport()
            blocks = []
            for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if frame.width * frame.height > MAX_PIXELS:  # checked before a page is decoded
                    raise DocumentError(f"{name}: page {n} is too large to read ({frame.width}×{frame.height} pixels)")
                frame.load()
                blocks.extend(read_image(frame.copy(), name, n, report))
        except UnidentifiedImageError:
            raise DocumentError(f"{name}: not an image that can be read (not PNG, JPEG or TIFF, or damaged)") from None
        except Image.DecompressionBombError as e:
            raise DocumentError(f"{name}: not an image that can be read ({str(e)[:80]})") from None
        except (OSError, ValueError, SyntaxError) as e:  # a truncated or damaged file
            raise DocumentError(f"{name}: cannot read the image: {str(e)[:80] or type(e).__name__}") from None
        if not any(b.text.strip() for b in blocks):
            raise DocumentError(f"{name}: OCR read no text in the image; nothing to translate")
        notes = [
            f"read {report.pages} page{'s' if report.pages != 1 else ''} by OCR: {len(blocks)} paragraphs",
            report.note(),
            "not carried: the picture itself and the exact layout (the translation is rebuilt as paragraphs)",
        ]
        return layout_extracted(blocks, name, notes)


FORMAT = ImageFormat()
