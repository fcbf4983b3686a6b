"""Uploaded files: checks by content and size, never by file name alone, and their hash.

`validate_document` is the validator of every document field (models, forms and migrations name
it by this path), `validate_scan` that of a signed, stamped paper's scan (PDF or a picture);
services that take an upload call one (or the form's validators did) and keep `file_sha256`
with the file. `sha256_hex` is the same content hash of bytes already in memory
(files the apps compile, imports waiting for confirmation)."""

import hashlib
import zipfile
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Magic numbers of the document kinds the cluster exchanges.
_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",  # .doc / .xls
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}
_EXTENSIONS = {
    "pdf": {"pdf"},
    "ole": {"doc", "xls"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
}


def sniff(uploaded) -> str | None:
    """Return the kind of document the bytes are, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    for magic, kind in _SIGNATURES.items():
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
    return None


def validate_size(uploaded, limit_mb: int) -> None:
    """Refuse a file over `limit_mb` megabytes, saying how large it is (code too_large)."""
    if uploaded.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)d MB."),
            params={"size": number_format(uploaded.size / 1024 / 1024, 1), "limit": limit_mb},
            code="too_large",
        )


def _validate(uploaded, kinds: Collection[str], refusal) -> None:
    """Within the size limit (MAX_UPLOAD_MB), of one of `kinds` by its content (else `refusal`)
    and matching its extension."""
    validate_size(uploaded, settings.MAX_UPLOAD_MB)
    if getattr(uploaded, "_committed", False):
        return  # a file already stored, not a new upload
    kind = sniff(uploaded)
    if kind is None or kind not in kinds:
        raise ValidationError(refusal, code="bad_type")
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's content does not match its name (.%(ext)s)."),
            params={"ext": extension},
            code="mismatch",
        )


def validate_document(uploaded):
    """A PDF, Word, Excel, JPG or PNG file within the size limit (MAX_UPLOAD_MB), matching its
    extension."""
    _validate(uploaded, _EXTENSIONS, _("This file is not a PDF, Word, Excel, JPG or PNG document."))


# A scan of a signed, stamped paper: a PDF or a picture, never an editable file.
SCAN_KINDS = {"pdf", "jpg", "png"}


def validate_scan(uploaded):
    """A scan of a signed paper: a PDF, JPG or PNG file, checked as validate_document does."""
    _validate(uploaded, SCAN_KINDS, _("This file is not a scan as PDF, JPG or PNG."))


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of bytes, in hexadecimal: the content hash kept with a file."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(uploaded) -> str:
    """The SHA-256 of an uploaded file (as `sha256_hex` of its bytes), read in chunks; the file
    is left at its start."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()
