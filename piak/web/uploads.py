"""Uploads are judged by what they contain, never by their name.

Every upload field declares an `UploadPolicy` (the kinds it accepts and which settings bound its size).
`upload_check` refuses, with a message in Bahasa Indonesia naming the file, what was found and what is
accepted: an oversized or empty file, executables and scripts, HTML/SVG/XML/JavaScript under any name,
anything not of an allowed kind, a ZIP-based file whose central directory promises a decompression bomb,
and a name whose ending contradicts the content. Detection reads the first bytes and, for ZIP-based files,
only the central directory; text is validated in fixed-size chunks, so memory stays bounded whatever the
file's size. Stored uploads are served back with `attachment_response`: as an attachment, with the type
detected from the stored bytes and `nosniff`, never as a page.
"""

import codecs
import os
import re
import zipfile
from dataclasses import dataclass
from functools import wraps
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.functional import lazy
from django.utils.translation import gettext as _

HEAD_BYTES = 8 * 1024
CHUNK_BYTES = 64 * 1024
# Members smaller than this are too small for their compression ratio to mean anything.
RATIO_FLOOR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    """A kind of file a field may accept. Textual kinds list the encodings they accept."""

    label: str
    content_type: str
    extensions: tuple[str, ...]
    encodings: tuple[str, ...] = ()

    @property
    def textual(self) -> bool:
        return bool(self.encodings)


PDF = Kind("PDF", "application/pdf", (".pdf",))
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
DOCX = Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
# SIAK exports may still come in Windows-1252 (spec/IMPORT-FORMAT.md); everything else we read is UTF-8.
CSV = Kind("CSV", "text/csv", (".csv",), encodings=("utf-8", "windows-1252"))
TEXT = Kind("TXT", "text/plain", (".txt",), encodings=("utf-8",))
YAML = Kind("YAML", "application/yaml", (".yaml", ".yml"), encodings=("utf-8",))
KINDS = (PDF, XLSX, DOCX, PNG, JPEG, CSV, TEXT, YAML)

EXECUTABLE_SIGNATURES = (
    (b"MZ", "program Windows (EXE/DLL)"),
    (b"\x7fELF", "program Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "program macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "program macOS (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "program macOS (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "program macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "program macOS (Mach-O) atau kelas Java"),
    (b"#!", "skrip yang dapat dijalankan (#!)"),
)
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
PDF_SIGNATURE = re.compile(rb"%PDF-\d\.\d")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_TAG = re.compile(r"<\s*(!doctype\s+html|html|head|body|script|iframe|object|embed|meta|link|style|form)\b")
SVG_TAG = re.compile(r"<\s*svg\b")
JAVASCRIPT_START = re.compile(
    r"(['\"]use strict['\"]|(async\s+)?function\b|(var|let|const)\s+[\w$]+\s*=|import\s|export\s|\(\s*function"
    r"|\(\s*\(\s*\)\s*=>|(window|document|globalThis)\.|//|/\*)"
)
# Bytes Windows-1252 leaves undefined: a file holding them is not text in that encoding either.
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


@dataclass(frozen=True)
class ZipStats:
    """What a ZIP's central directory promises, read without extracting anything."""

    members: int
    unpacked_bytes: int
    worst_ratio: float


@dataclass(frozen=True)
class Finding:
    """What an upload's bytes turned out to be: `kind` is None for content no field ever accepts."""

    label: str
    kind: Kind | None = None
    encoding: str = ""
    zip_stats: ZipStats | None = None


@dataclass(frozen=True)
class UploadPolicy:
    """The kinds an upload field accepts and the settings that bound its size (every policy names its own)
    and, for ZIP-based files, its unpacked size (settings are read at check time, so tests and operators
    can change them)."""

    kinds: tuple[Kind, ...]
    max_bytes_setting: str
    max_unpacked_setting: str = "PIAK_UPLOAD_ZIP_MAX_UNPACKED_BYTES"

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)

    @property
    def max_unpacked_bytes(self) -> int:
        return getattr(settings, self.max_unpacked_setting)

    @property
    def accepted(self) -> str:
        return ", ".join(kind.label for kind in self.kinds)

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(extension for kind in self.kinds for extension in kind.extensions)

    def describe(self) -> str:
        return _("Diterima: %(kinds)s; paling besar %(size)s.") % {
            "kinds": self.accepted,
            "size": filesizeformat(self.max_bytes),
        }


# --- detection ------------------------------------------------------------------------------------


def inspect(file) -> Finding:
    """Identify a seekable binary file by its content; the file is rewound afterwards."""
    file.seek(0)
    try:
        head = file.read(HEAD_BYTES)
        return _identify(file, head)
    finally:
        file.seek(0)


def _identify(file, head: bytes) -> Finding:
    for signature, label in EXECUTABLE_SIGNATURES:
        if head.startswith(signature):
            return Finding(label)
    if PDF_SIGNATURE.match(head):
        return Finding(PDF.label, PDF)
    for signature, kind in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return Finding(kind.label, kind)
    if head.startswith(ZIP_SIGNATURES):
        return _zip_finding(file)
    if head.startswith(OLE_SIGNATURE):
        return Finding(_("dokumen Office lama (DOC/XLS)"))
    return _text_finding(file, head)


def zip_declared_members(file) -> int | None:
    """The number of members the ZIP's end record announces, read before the central directory is loaded
    (a directory of millions of entries would otherwise fill memory); None when there is no end record."""
    end = zipfile._EndRecData(file)  # the standard library's own reader of the (ZIP64) end record
    file.seek(0)
    return None if end is None else end[zipfile._ECD_ENTRIES_TOTAL]


def zip_stats(members: list[zipfile.ZipInfo]) -> ZipStats:
    """What the central directory promises: member count, total unpacked size, worst compression ratio."""
    return ZipStats(
        members=len(members),
        unpacked_bytes=sum(member.file_size for member in members),
        worst_ratio=max(
            (m.file_size / max(m.compress_size, 1) for m in members if m.file_size >= RATIO_FLOOR_BYTES), default=0
        ),
    )


def _zip_finding(file) -> Finding:
    declared = zip_declared_members(file)
    if declared is not None and declared > settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS:
        return Finding(_("arsip ZIP"), zip_stats=ZipStats(members=declared, unpacked_bytes=0, worst_ratio=0))
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return Finding(_("arsip ZIP yang rusak"))
    stats = zip_stats(members)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        return Finding(_("arsip ZIP"), zip_stats=stats)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return Finding(_("dokumen Office bermakro (VBA)"), zip_stats=stats)
    if "xl/workbook.xml" in names:
        return Finding(XLSX.label, XLSX, zip_stats=stats)
    if "word/document.xml" in names:
        return Finding(DOCX.label, DOCX, zip_stats=stats)
    return Finding(_("dokumen Office Open XML lain"), zip_stats=stats)


def _text_finding(file, head: bytes) -> Finding:
    encoding = _text_encoding(file)
    if encoding is None:
        return Finding(_("berkas biner yang tidak dikenal"))
    markup = _active_content(head.decode(encoding, errors="replace"))
    if markup:
        return Finding(markup)
    label = _("teks biasa") if encoding == "utf-8" else _("teks Windows-1252 (bukan UTF-8)")
    return Finding(label, TEXT, encoding=encoding)


def _text_encoding(file) -> str | None:
    """'utf-8' or 'windows-1252' for text without NUL bytes, None for anything else; read chunk by chunk."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = True
    while chunk := file.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            return None
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        cp1252 = cp1252 and not CP1252_UNDEFINED.search(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return "windows-1252" if cp1252 else None


def _active_content(head: str) -> str:
    """The name of the markup or script a browser would run if this text were opened, or ''."""
    text = head.lstrip("\ufeff \t\r\n").lower()
    if SVG_TAG.search(text):
        return "SVG"
    if HTML_TAG.search(text):
        return "HTML"
    if text.startswith("<"):
        return "XML/HTML"
    if JAVASCRIPT_START.match(text):
        return "JavaScript"
    return ""


# --- the check ------------------------------------------------------------------------------------


def _refuse(message: str, code: str, **params) -> forms.ValidationError:
    return forms.ValidationError(message % params, code=code)


def _kind_named_by(name: str) -> Kind | None:
    suffix = PurePath(name).suffix.lower()
    return next((kind for kind in KINDS if suffix in kind.extensions), None)


def _accepted_kind(finding: Finding, policy: UploadPolicy, name: str) -> Kind | None:
    """The allowed kind the content is; text takes the allowed textual kind its name ends in."""
    if finding.kind is None:
        return None
    if not finding.kind.textual:
        return finding.kind if finding.kind in policy.kinds else None
    textual = [kind for kind in policy.kinds if finding.encoding in kind.encodings]
    named = _kind_named_by(name)
    if named is None:
        return next(iter(textual), None)
    return named if named in textual else None


def _is_what_its_name_says(finding: Finding, named: Kind | None) -> bool:
    if named is None or finding.kind is None:
        return False
    return named is finding.kind or (named.textual and finding.kind.textual)


def zip_refusal(name: str, stats: ZipStats, max_unpacked_bytes: int) -> forms.ValidationError | None:
    """Why a ZIP-based file with these central-directory `stats` is refused, or None."""
    if stats.members > settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS:
        message = _("Berkas '%(name)s' ditolak: arsipnya memuat %(n)s bagian (paling banyak %(max)s).")
        return _refuse(
            message, "upload_zip_members", name=name, n=stats.members, max=settings.PIAK_UPLOAD_ZIP_MAX_MEMBERS
        )
    if stats.unpacked_bytes > max_unpacked_bytes or stats.worst_ratio > settings.PIAK_UPLOAD_ZIP_MAX_RATIO:
        message = _(
            "Berkas '%(name)s' ditolak: isinya mengembang menjadi %(size)s bila dibuka (rasio kompresi "
            "%(ratio)s:1), kemungkinan bom dekompresi. Batasnya %(max)s dan rasio %(max_ratio)s:1."
        )
        return _refuse(
            message,
            "upload_zip_bomb",
            name=name,
            size=filesizeformat(stats.unpacked_bytes),
            ratio=round(stats.worst_ratio),
            max=filesizeformat(max_unpacked_bytes),
            max_ratio=settings.PIAK_UPLOAD_ZIP_MAX_RATIO,
        )
    return None


def upload_check(upload: UploadedFile, policy: UploadPolicy) -> Kind:
    """Accept `upload` under `policy` or raise a ValidationError saying why not. On success the upload's
    client-supplied content type is replaced by the detected one."""
    name = upload.name or ""
    if upload.size > policy.max_bytes:
        message = _("Berkas '%(name)s' terlalu besar (%(size)s); paling besar %(max)s.")
        raise _refuse(
            message,
            "upload_too_large",
            name=name,
            size=filesizeformat(upload.size),
            max=filesizeformat(policy.max_bytes),
        )
    if upload.size == 0:
        raise _refuse(_("Berkas '%(name)s' kosong."), "upload_empty", name=name)
    finding = inspect(upload)
    if finding.zip_stats and (refusal := zip_refusal(name, finding.zip_stats, policy.max_unpacked_bytes)):
        raise refusal
    kind = _accepted_kind(finding, policy, name)
    if kind is None:
        named = _kind_named_by(name)
        if named is not None and not _is_what_its_name_says(finding, named):
            message = _("Berkas '%(name)s' bukan %(named)s (terdeteksi: %(found)s). Yang diterima: %(accepted)s.")
        else:
            message = _("Berkas '%(name)s' tidak diterima (terdeteksi: %(found)s). Yang diterima: %(accepted)s.")
        raise _refuse(
            message,
            "upload_kind_refused",
            name=name,
            named=named.label if named else "",
            found=finding.label,
            accepted=policy.accepted,
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in kind.extensions:
        message = _(
            "Berkas '%(name)s' berisi %(kind)s, tetapi namanya tidak berakhiran %(ext)s. "
            "Ganti namanya lalu unggah lagi."
        )
        raise _refuse(message, "upload_name_mismatch", name=name, kind=kind.label, ext=kind.extensions[0])
    upload.content_type = kind.content_type
    return kind


class CheckedFileField(forms.FileField):
    """A file field whose uploads pass `upload_check` under its policy."""

    def __init__(self, *, policy: UploadPolicy, **kwargs) -> None:
        self.policy = policy
        kwargs.setdefault("help_text", lazy(policy.describe, str)())
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(policy.extensions)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            upload_check(upload, self.policy)
        return upload


# --- receiving uploads ----------------------------------------------------------------------------


def upload_limit(*policies: UploadPolicy):
    """Mark a view whose upload fields may be larger than `PIAK_UPLOAD_MAX_BYTES`: the upload handler
    reads the mark to know where to stop storing a file (the largest limit of the view's fields)."""

    def mark(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.upload_policies = policies
        return wrapper

    return mark


def request_upload_limit(path: str) -> int:
    """The most one file posted to `path` may hold: its view's marked policies, else the default."""
    try:
        view = resolve(path).func
    except Resolver404:
        return settings.PIAK_UPLOAD_MAX_BYTES
    policies = getattr(view, "upload_policies", ())
    return max((policy.max_bytes for policy in policies), default=settings.PIAK_UPLOAD_MAX_BYTES)


class OversizeUpload(UploadedFile):
    """A posted file that was cut off once past its limit: it holds nothing, but knows how big it was,
    so the field refuses it as too large."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=size)

    def open(self, mode=None):
        raise ValueError("an oversize upload has no content")


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Stores each posted file in a temporary file only up to its view's limit; past it the file's bytes
    are counted and dropped (the partial temporary file is deleted at once), so an oversized upload never
    sits on disk or in memory whole. An interrupted upload's temporary file is deleted by the base class."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = request_upload_limit(self.request.path_info)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= self.limit:
            return super().receive_data_chunk(raw_data, start)
        if not self.file.closed:
            self.file.close()  # deletes the temporary file
        return None

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.received)
        return super().file_complete(file_size)


def upload_save(upload: UploadedFile, target: Path) -> Path:
    """Write an accepted upload to `target` through a temporary name, so a failure leaves no partial file."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


# --- serving stored uploads -----------------------------------------------------------------------


def stored_content_type(file: File) -> str:
    """The content type of a stored upload, detected again from its bytes; never one a browser renders."""
    with file.open("rb") as handle:
        finding = inspect(handle)
    if finding.kind is None:
        return "application/octet-stream"
    return f"text/plain; charset={finding.encoding}" if finding.kind.textual else finding.kind.content_type


def attachment_response(file: File, filename: str) -> FileResponse:
    """A stored upload as a download: an attachment with its detected type, never sniffed as a page."""
    content_type = stored_content_type(file)
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
