"""PDFs and scans drawn for the PDF tests (in pytest's tmp_path), with fpdf2: Arabic shaped
by HarfBuzz and set in DejaVu Sans (Debian's fonts-dejavu-core), so that the files store
their right-to-left lines the way real producers do, glyph by glyph in visual order."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def new_pdf():
    from fpdf import FPDF

    assert FONT.is_file(), f"{FONT} is needed to draw the test PDFs (apt-get install fonts-dejavu-core)"
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("dv", "", str(FONT))
    pdf.add_font("dv", "B", str(BOLD))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    return pdf


def text(pdf, x, y, w, line, size=11, bold=False, align="R", h=None):
    pdf.set_font("dv", "B" if bold else "", size)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, h or size * 0.55, line, align=align)
    return pdf.get_y()


def news_report(path: Path) -> Path:
    """Two pages: a running header and page numbers, a heading, a two-column body whose
    right column is read first, a bulleted list, a ruled table, and a paragraph that
    continues from page 1 onto page 2."""
    pdf = new_pdf()
    for page in (1, 2):
        pdf.add_page()
        text(pdf, 20, 10, 170, "المرصد السوري — تقرير أسبوعي", size=8)
        text(pdf, 20, 285, 170, str(page), size=8, align="C")
        if page == 1:
            text(pdf, 20, 25, 170, "هجوم في دير الزور", size=20, bold=True)
            right = "قالت قسد إن داعش هاجم نقطة عسكرية في ريف دير الزور الشرقي فجر الإثنين."
            left = "وأضافت أن الهجوم أسفر عن مقتل ثلاثة مقاتلين وإصابة خمسة آخرين بجروح."
            text(pdf, 110, 45, 80, right)  # the right column: read first
            text(pdf, 20, 45, 80, left)
            text(pdf, 20, 80, 170, "• نقطة عسكرية في ريف دير الزور")
            text(pdf, 20, 88, 170, "• ثلاثة مقاتلين")
            pdf.set_font("dv", "", 11)
            pdf.set_xy(20, 100)
            with pdf.table(col_widths=(85, 85), text_align="RIGHT") as table:
                for cells in (("المكان", "العدد"), ("دير الزور", "ثلاثة")):
                    row = table.row()
                    for cell in cells[::-1]:  # drawn left to right: the second column first
                        row.cell(cell)
            text(pdf, 20, 250, 170, "وقالت مصادر محلية إن التحالف الدولي نفذ غارات على مواقع التنظيم في")
        else:
            text(pdf, 20, 25, 170, "البادية السورية خلال الأسبوع الماضي.")
            text(pdf, 20, 45, 170, "وفي حلب قالت الحكومة السورية إن الهدوء عاد إلى المدينة.")
    pdf.output(str(path))
    return path


def one_paragraph(path: Path, line: str) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    text(pdf, 20, 30, 170, line, size=16)
    pdf.output(str(path))
    return path


def scan_of(pdf_path: Path, out: Path, dpi: int = 150) -> Path:
    """A picture of the first page of ``pdf_path``: a .png, or a PDF with only that picture
    in it (what a scanner makes), by ``out``'s suffix."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    document.close()
    if out.suffix == ".pdf":
        from fpdf import FPDF

        png = out.with_suffix(".png")
        image.save(png)
        pdf = FPDF(format="A4")
        pdf.add_page()
        pdf.image(str(png), x=0, y=0, w=210)
        pdf.output(str(out))
        png.unlink()
    else:
        image.save(out)
    return out
