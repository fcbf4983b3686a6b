"""Uploads are checked by content and size, never by name alone; their hash is kept."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.uploads import (
    file_sha256,
    sha256_hex,
    sniff,
    validate_document,
    validate_scan,
    validate_size,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "jpg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "ole"),
        (office("word"), "docx"),
        (office("xl"), "xlsx"),
        (office("other"), None),
        (b"PK\x03\x04 not a zip", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_the_kind_is_read_from_the_bytes(content, kind):
    uploaded = SimpleUploadedFile("any.bin", content)
    assert sniff(uploaded) == kind
    assert uploaded.tell() == 0


def test_a_document_matching_its_name_passes(settings):
    settings.MAX_UPLOAD_MB = 1
    validate_document(SimpleUploadedFile("minutes.PDF", PDF))
    validate_document(SimpleUploadedFile("report.docx", office("word")))


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("report.pdf", PNG, "mismatch", "The file's content does not match its name (.pdf)."),
        (
            "script.exe",
            b"MZ\x90\x00",
            "bad_type",
            "This file is not a PDF, Word, Excel, JPG or PNG document.",
        ),
        ("noname", PDF, "mismatch", "The file's content does not match its name (.)."),
    ],
)
def test_a_document_is_refused_by_its_content(settings, name, content, code, message):
    settings.MAX_UPLOAD_MB = 1
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_document(SimpleUploadedFile(name, content))
        assert (refused.value.code, refused.value.messages) == (code, [message])


def test_a_scan_is_a_pdf_or_a_picture_and_never_an_editable_file(settings):
    settings.MAX_UPLOAD_MB = 1
    for name, content in [("ban-ky.pdf", PDF), ("ban-ky.png", PNG), ("b.JPEG", b"\xff\xd8\xff")]:
        validate_scan(SimpleUploadedFile(name, content))
    with translation.override("en"):
        for name, content in [("to-trinh.docx", office("word")), ("x.pdf", b"<html></html>")]:
            with pytest.raises(ValidationError) as refused:
                validate_scan(SimpleUploadedFile(name, content))
            assert (refused.value.code, refused.value.messages) == (
                "bad_type",
                ["This file is not a scan as PDF, JPG or PNG."],
            )
        with pytest.raises(ValidationError) as refused:
            validate_scan(SimpleUploadedFile("ban-ky.pdf", PNG))
        assert refused.value.code == "mismatch"
        with pytest.raises(ValidationError) as refused:
            validate_scan(SimpleUploadedFile("ban-ky.pdf", PDF + b"0" * 1024 * 1024))
        assert refused.value.code == "too_large"


def test_the_size_limit_says_how_large_the_file_is():
    uploaded = SimpleUploadedFile("big.pdf", PDF + b"0" * (3 * 1024 * 1024))
    validate_size(uploaded, 4)
    for language, message in [
        ("vi", "Tệp quá lớn (3,0 MB); dung lượng tối đa là 2 MB."),
        ("en", "The file is too large (3.0 MB); the limit is 2 MB."),
    ]:
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                validate_size(uploaded, 2)
            assert (refused.value.code, refused.value.messages) == ("too_large", [message])


def test_the_hash_is_of_the_whole_file_and_leaves_it_at_its_start():
    content = PDF * 50_000  # several chunks
    uploaded = SimpleUploadedFile("minutes.pdf", content)
    assert file_sha256(uploaded) == hashlib.sha256(content).hexdigest() == sha256_hex(content)
    assert uploaded.read(5) == b"%PDF-"


def test_the_hash_of_bytes_is_their_sha256_in_hexadecimal():
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
