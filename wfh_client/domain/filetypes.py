"""Which document files are safe: the allowlist of types, their MIME types and magic bytes.

One rule for both sides. The server accepts a result upload only when its name ends in an
allowed extension, the declared ``Content-Type`` is one of that type's MIME types and the first
bytes of the content look like that type (:func:`check_upload`). The client hands a decrypted
copy to the operating system's viewer only under the same conditions (:func:`check_open`);
anything else (``x.pdf.exe``, ``.hta``, ``.lnk``, ``.js``, ``.bat``, ``.ps1``, ``.vbs``,
``.desktop``, ``.sh``, HTML, SVG, macro-enabled Office files...) can only be saved, with a
warning.

Why an allowlist: the set of file types some program on some desktop will *execute* when asked
to "open" them is open-ended; the set of document types an officer needs is small.

Names are judged on their **final** extension after removing trailing dots and spaces
(Windows drops them, so ``report.exe.`` would run as ``.exe``); a name that changes under that
normalisation is refused outright.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

__all__ = [
    "FILE_NAME_HEADER",
    "FILE_TYPES",
    "HEAD_BYTES",
    "FileType",
    "FileTypeError",
    "check_open",
    "check_upload",
    "decode_file_name",
    "encode_file_name",
    "extension_of",
    "file_type_of",
]

HEAD_BYTES = 8192  # how much of the content the magic-byte checks look at
#: Uploads carry the file name in this header, percent-encoded UTF-8 (RFC 3986), never in the
#: URL: names hold personal data and URLs end up in proxy and access logs.
FILE_NAME_HEADER = "X-File-Name"

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


class FileTypeError(ValueError):
    """A name or content that is not an allowed document. ``code`` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _prefix(*magics: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(magics)


def _pdf(head: bytes) -> bool:
    # Readers accept the header anywhere in the first 1024 bytes (ISO 32000-1, annex H).
    return b"%PDF-" in head[:1024]


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _text(head: bytes) -> bool:
    """Plain text: no NUL byte and nothing that starts like a program or a script."""
    return b"\x00" not in head and not head.lstrip(b"\xef\xbb\xbf").startswith(_EXECUTABLE)


@dataclass(frozen=True)
class FileType:
    """One allowed document type: its extensions (lower case, with the dot), MIME types (the
    first is the canonical one) and the magic-byte test of its content."""

    kind: str
    extensions: tuple[str, ...]
    mimes: tuple[str, ...]
    matches: Callable[[bytes], bool]

    @property
    def mime(self) -> str:
        return self.mimes[0]


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

FILE_TYPES: tuple[FileType, ...] = (
    FileType("pdf", (".pdf",), ("application/pdf",), _pdf),
    FileType("png", (".png",), ("image/png",), _prefix(b"\x89PNG\r\n\x1a\n")),
    FileType("jpeg", (".jpg", ".jpeg"), ("image/jpeg", "image/pjpeg"), _prefix(b"\xff\xd8\xff")),
    FileType("gif", (".gif",), ("image/gif",), _prefix(b"GIF87a", b"GIF89a")),
    FileType("tiff", (".tif", ".tiff"), ("image/tiff",), _prefix(b"II*\x00", b"MM\x00*")),
    FileType("bmp", (".bmp",), ("image/bmp", "image/x-ms-bmp"), _prefix(b"BM")),
    FileType("webp", (".webp",), ("image/webp",), _webp),
    FileType("docx", (".docx",), (_OOXML + "wordprocessingml.document",), _prefix(*_ZIP)),
    FileType("xlsx", (".xlsx",), (_OOXML + "spreadsheetml.sheet",), _prefix(*_ZIP)),
    FileType("pptx", (".pptx",), (_OOXML + "presentationml.presentation",), _prefix(*_ZIP)),
    FileType("odt", (".odt",), (_ODF + "text",), _prefix(*_ZIP)),
    FileType("ods", (".ods",), (_ODF + "spreadsheet",), _prefix(*_ZIP)),
    FileType("odp", (".odp",), (_ODF + "presentation",), _prefix(*_ZIP)),
    FileType("doc", (".doc",), ("application/msword",), _prefix(*_OLE)),
    FileType("xls", (".xls",), ("application/vnd.ms-excel",), _prefix(*_OLE)),
    FileType("ppt", (".ppt",), ("application/vnd.ms-powerpoint",), _prefix(*_OLE)),
    FileType("rtf", (".rtf",), ("application/rtf", "text/rtf"), _prefix(b"{\\rtf")),
    FileType("txt", (".txt",), ("text/plain",), _text),
    FileType("csv", (".csv",), ("text/csv", "text/plain"), _text),
)
_BY_EXTENSION: dict[str, FileType] = {ext: t for t in FILE_TYPES for ext in t.extensions}


def extension_of(name: str) -> str:
    """The final extension, lower case with its dot (``""`` when there is none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def file_type_of(name: str) -> FileType | None:
    """The allowed type a file name declares, or ``None`` (not allowed, or a trailing dot or
    space that Windows would strip to reveal another extension)."""
    if name != name.rstrip(". ") or ":" in name:  # "x.exe." / "x.pdf:evil.exe" (NTFS stream)
        return None
    return _BY_EXTENSION.get(extension_of(name))


def _type_of_name(name: str) -> FileType:
    file_type = file_type_of(name)
    if file_type is None:
        ext = extension_of(name.rstrip(". ")) or name
        raise FileTypeError(
            "document.type_not_allowed",
            f"Files of type {ext!r} are not accepted: only PDF, images, Office/OpenDocument "
            "documents and plain text.",
        )
    return file_type


def check_open(name: str, head: bytes) -> FileType:
    """The type to open ``name`` as, if it is allowed and its first bytes match it; raises
    :class:`FileTypeError` otherwise (the caller offers "save" instead)."""
    file_type = _type_of_name(name)
    if not file_type.matches(head):
        raise FileTypeError(
            "document.type_mismatch",
            f"The content of {name!r} is not a {file_type.kind.upper()} file.",
        )
    return file_type


def check_upload(name: str, mime: str, head: bytes, size: int) -> FileType:
    """Validate a result document before it is accepted (server) or queued (client).

    Raises :class:`FileTypeError` with ``document.empty``, ``document.type_not_allowed`` or
    ``document.type_mismatch``; returns the type (its canonical MIME is what gets stored).
    """
    if size <= 0:
        raise FileTypeError("document.empty", "The file is empty.")
    file_type = _type_of_name(name)
    declared = mime.split(";", 1)[0].strip().lower()
    if declared not in file_type.mimes:
        raise FileTypeError(
            "document.type_mismatch",
            f"The declared type {declared!r} does not match the file name's type "
            f"({file_type.mime}).",
        )
    if not file_type.matches(head):
        raise FileTypeError(
            "document.type_mismatch",
            f"The content is not a {file_type.kind.upper()} file, as its name says.",
        )
    return file_type


def encode_file_name(name: str) -> str:
    """The ``X-File-Name`` header value for ``name`` (ASCII only)."""
    return quote(name, safe="")


def decode_file_name(value: str) -> str | None:
    """The file name from an ``X-File-Name`` value, or ``None`` when it is not valid UTF-8."""
    try:
        return unquote(value, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
