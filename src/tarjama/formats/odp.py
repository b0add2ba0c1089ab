"""OpenDocument presentations (``.odp``, LibreOffice Impress and others): every paragraph
with Arabic in it on the slides (text boxes, titles, tables, lists, groups), in the
speaker notes and on the master pages is a unit.

A presentation keeps its text in the same ``text:p`` and ``text:h`` paragraphs as an
OpenDocument text, inside ``draw:frame`` and ``presentation:notes``, so ``odt`` does the
work: spans and links are marks, spaces, tabs and line breaks keep words apart, fields
are points; the package is rewritten entry for entry with ``mimetype`` first and stored,
and right-to-left writing modes become ``lr-tb``. A frame's title and description (alt
text) are translated. Slide names (``draw:name``) and the text of charts and embedded
objects are not: a note says where Arabic is left.
"""

from __future__ import annotations

from .odt import OdtFormat


class OdpFormat(OdtFormat):
    name = "odp"
    suffixes = (".odp",)
    mimetype = b"application/vnd.oasis.opendocument.presentation"
    kind = "presentation"


FORMAT = OdpFormat()
