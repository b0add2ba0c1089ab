"""Zip packages (XLSX, EPUB, ODP…): the one place these formats open a package and write
one back.

``open_package`` is where a size limit on what a package unpacks to belongs (total
uncompressed size, compression ratio): every format of this group opens its zip here and
nowhere else. ``write_package`` writes the package anew, entry for entry in the source's
order, with each entry's own date and attributes, so that the same input always gives the
same bytes; a ``mimetype`` entry (ODF, EPUB) is written first and stored uncompressed, as
those formats require.
"""

from __future__ import annotations

import io
import zipfile

from .base import DocumentError


def open_package(data: bytes, name: str, what: str) -> zipfile.ZipFile:
    """The zip ``data`` (a ``what``, for the message: "an Excel .xlsx file"); a one-line
    DocumentError if it is not a readable zip."""
    from .archive import check_zip

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise DocumentError(f"{name}: not {what} ({e})") from None
    check_zip(package, name)  # size limits (archive.py), before anything is inflated
    return package


def read_part(package: zipfile.ZipFile, part: str, name: str) -> bytes:
    """One entry's bytes; a one-line DocumentError for a damaged entry."""
    try:
        return package.read(part)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
        raise DocumentError(f"{name}: cannot read {part} ({e})") from None


def write_package(package: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    """The package with the entries in ``changed`` replaced, everything else as it was."""
    infos = package.infolist()
    infos = sorted(infos, key=lambda i: i.filename != "mimetype")  # stable: the rest keep their order
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in infos:
            body = changed.get(info.filename)
            if body is None:
                try:
                    body = package.read(info)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
                    raise DocumentError(f"cannot read {info.filename} of the package ({e})") from None
            if info.filename == "mimetype":
                info = _copy_info(info)
                info.compress_type = zipfile.ZIP_STORED
                info.extra = b""
            target.writestr(info, body)
    return out.getvalue()


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    copy.comment = info.comment
    return copy


def parse_xml(body: bytes, name: str, part: str):
    """An XML part, parsed the safe way (no entity expansion, no DTD, no network); a
    part that declares entities is refused: office and e-book XML needs none, and they
    are how XML attacks work."""
    from lxml import etree

    from .xml_inline import hardened_parser

    try:
        root = etree.fromstring(body, hardened_parser())
    except etree.XMLSyntaxError as e:
        raise DocumentError(f"{name}: {part} is not well-formed XML: {e}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise DocumentError(f"{name}: {part} declares XML entities in its DOCTYPE; tarjama never expands them")
    return root
